using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Npgsql;
using RealEstateOps.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Completers;

/// <summary>
/// Live table and index names of the context's database (or the -HostName/-Port/-Database already typed) for Invoke-DbMaintenance:
/// one short query (a two-second budget), the application's login from the context; nothing, never an error, when it cannot connect.
/// </summary>
internal static class DbNameCompletion
{
    public static IEnumerable<CompletionResult> Complete(string wordToComplete, IDictionary fakeBoundParameters, string sql)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        try
        {
            string? Bound(string name) => fakeBoundParameters.Contains(name) ? fakeBoundParameters[name]?.ToString() : null;
            var context = OpsSession.LoadContext();
            var request = DbConnectionSettings.Resolve(new DbConnectionParameters
            {
                HostName = Bound("HostName"), Port = int.TryParse(Bound("Port"), out var port) ? port : null, Database = Bound("Database"), Timeout = TimeSpan.FromSeconds(1),
            }, context).Request();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            return Query(request, sql, prefix, cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is Engine.Common.OpsException or OperationCanceledException or NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return Array.Empty<CompletionResult>();
        }
    }

    private static async Task<List<CompletionResult>> Query(DbConnectionRequest request, string sql, string prefix, CancellationToken ct)
    {
        var list = new List<CompletionResult>();
        var conn = await PgConnect.OpenAsync(request, ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 2 };
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false) && list.Count < 200)
            {
                var (schema, name) = (r.GetString(0), r.GetString(1));
                var text = schema == "public" ? name : $"{schema}.{name}";
                if (!text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
                var quoted = text.Any(c => !(char.IsLetterOrDigit(c) || c is '_' or '.')) ? $"'{text.Replace("'", "''", StringComparison.Ordinal)}'" : text;
                list.Add(new CompletionResult(quoted, text, CompletionResultType.ParameterValue, text));
            }
        }
        return list;
    }
}

/// <summary>Completes user table names (pg_stat_user_tables) of the database.</summary>
public sealed class DbTableCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        DbNameCompletion.Complete(wordToComplete, fakeBoundParameters, "select schemaname, relname from pg_stat_user_tables order by 1, 2");
}

/// <summary>Completes user index names (pg_stat_user_indexes) of the database.</summary>
public sealed class DbIndexCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        DbNameCompletion.Complete(wordToComplete, fakeBoundParameters, "select schemaname, indexrelname from pg_stat_user_indexes order by 1, 2");
}
