namespace RealEstateOps.Engine.Tests.Support;

public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "reo-test-" + Guid.NewGuid().ToString("N")[..8]);

    public Common.OpsPaths Paths => new(System.IO.Path.Combine(Path, "config"), System.IO.Path.Combine(Path, "data"), System.IO.Path.Combine(Path, "state"));

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
