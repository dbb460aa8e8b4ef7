namespace RealEstateOps.Commands;

/// <summary>
/// The one client of its kind a command opens on first use and releases however its pipeline ends (the domain
/// base calls <see cref="Release"/> from ReleaseResources). Counts the clients of each kind that are open, a
/// diagnostic for the tests that a stopped or failed command leaks none.
/// </summary>
internal sealed class OwnedClient<T> where T : class, IDisposable
{
    private static int _open;
    private T? _client;

    /// <summary>Clients of this kind opened by commands and not yet released.</summary>
    public static int Open => Volatile.Read(ref _open);

    /// <summary>Whether this command has opened its client.</summary>
    public bool IsOpen => _client is not null;

    /// <summary>The command's client: opened by <paramref name="open"/> on first use, on the pipeline thread.</summary>
    public T Get(Func<T> open)
    {
        if (_client is { } client) return client;
        client = open();
        _client = client;
        Interlocked.Increment(ref _open);
        return client;
    }

    /// <summary>Disposes the client if one was opened; safe to call more than once.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _client, null) is not { } client) return;
        client.Dispose();
        Interlocked.Decrement(ref _open);
    }
}
