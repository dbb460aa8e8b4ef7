using Npgsql;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Engine.Prometheus;

/// <summary>
/// The Monitoring runbook's business metrics, each from where it lives: the platform's counters and gauges in Prometheus
/// (active users; chatbot conversations, property searches and proposals generated over a window; the conversion rate of
/// proposals), and counts of the platform database's tables (properties, listings, proposals, chat sessions).
/// </summary>
public sealed class BusinessMetricsReader
{
    /// <summary>The platform database's tables counted, with the metric names they become.</summary>
    public static IReadOnlyList<(string Name, string Table, string Description)> Tables { get; } = new[]
    {
        ("Properties", "properties", "Properties in the platform database"),
        ("Listings", "listings", "Listings in the platform database"),
        ("Proposals", "proposals", "Proposals stored in the platform database"),
        ("ChatSessions", "chat_sessions", "Chat sessions stored in the platform database"),
    };

    private readonly TimeProvider _time;

    public BusinessMetricsReader(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>The PromQL of each Prometheus metric: name, query, unit, description.</summary>
    public static IReadOnlyList<(string Name, string Query, string Unit, string Description, bool Windowed)> PrometheusQueries(string? ns, TimeSpan window)
    {
        var sel = ns is { Length: > 0 } ? "{namespace=" + PromQL.Quote(ns) + "}" : "";
        var w = PromQL.Duration(window);
        return new[]
        {
            ("ActiveUsers", $"sum(platform_active_users{sel})", "users", "Users active on the platform now", false),
            ("ChatbotConversations", $"sum(increase(chatbot_conversations_total{sel}[{w}]))", "count", $"Chatbot conversations started in the last {w}", true),
            ("PropertySearches", $"sum(increase(property_searches_total{sel}[{w}]))", "count", $"Property searches in the last {w}", true),
            ("ProposalsGenerated", $"sum(increase(proposals_generated_total{sel}[{w}]))", "count", $"Proposals generated in the last {w}", true),
            ("ConversionRatePercent", $"100 * sum(increase(proposal_conversions_total{sel}[{w}])) / sum(increase(proposals_generated_total{sel}[{w}]))", "%",
                $"Proposals converted as a share of proposals generated in the last {w}", true),
        };
    }

    /// <summary>The Prometheus metrics, one query each (a metric Prometheus has no series for has a null Value).</summary>
    public async IAsyncEnumerable<BusinessMetric> FromPrometheusAsync(PromQueries queries, string? ns, TimeSpan window, IProgress<OpsEvent>? events,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var at = _time.GetUtcNow();
        foreach (var (name, query, unit, description, windowed) in PrometheusQueries(ns, window))
        {
            var result = await queries.QueryAsync(new PromQuery { Expression = query, At = at }, events, ct).ConfigureAwait(false);
            var value = result.Samples.FirstOrDefault()?.Value;
            yield return new BusinessMetric
            {
                Name = name, Value = value is { } v && double.IsFinite(v) ? v : null, Unit = unit, Source = BusinessMetricSource.Prometheus,
                Window = windowed ? window : null, Query = query, Description = description, At = at,
            };
        }
    }

    /// <summary>
    /// Counts of the platform database's tables, over one connection (the Postgres engine's settings: context DbHost, DbPort,
    /// DbName, DbUser, DbPassFile). A database that cannot be reached is an error with Test-DbConnection's id; a missing
    /// table is a per-metric failure (BusinessTableNotFound) and the others go on.
    /// </summary>
    public async IAsyncEnumerable<BusinessMetric> FromDatabaseAsync(DbConnectionRequest request, IProgress<OpsEvent>? events,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var check = await DbConnectionTester.TestAsync(request, ct).ConfigureAwait(false);
        if (check.ErrorId is { } id)
            throw new OpsException(id, check.ErrorCategory ?? OpsErrorCategory.ConnectionError, $"The platform database cannot be read: {check.Error}", check.Database);
        var builder = DbConnectionTester.BuildConnectionString(request);
        builder.Pooling = false;
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        foreach (var (name, table, description) in Tables)
        {
            var sql = $"select count(*) from {table}";
            long? count = null;
            try
            {
                await using var cmd = new NpgsqlCommand(sql, connection);
                count = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                events.ItemFailed(new OpsException("BusinessTableNotFound", OpsErrorCategory.ObjectNotFound,
                    $"The platform database '{builder.Database}' has no table {table}: {ex.MessageText}", table));
                continue;
            }
            catch (PostgresException ex)
            {
                events.ItemFailed(new OpsException("BusinessQueryFailed", OpsErrorCategory.ReadError,
                    $"Counting {table} in '{builder.Database}' failed: {ex.MessageText} (SQLSTATE {ex.SqlState})", table));
                continue;
            }
            yield return new BusinessMetric
            {
                Name = name, Value = count, Unit = "count", Source = BusinessMetricSource.Database, Query = sql, Description = description, At = _time.GetUtcNow(),
            };
        }
    }
}
