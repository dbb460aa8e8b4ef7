using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.Monitoring;

/// <summary>How one platform service is used: its steady request rate (spread over its running pods), its share of
/// writes, its median latency and what its requests mean for the business counters.</summary>
public sealed record PlatformServiceProfile(string Name, double RequestsPerSecond, double PostShare, double MedianSeconds);

/// <summary>One pod's running totals: requests by method and code, the latency histogram, CPU seconds and network bytes.</summary>
public sealed class PodTraffic
{
    public PodTraffic(string ns, string service, string pod, string version = "stable") { Namespace = ns; Service = service; Pod = pod; Version = version; }
    public string Namespace { get; }
    /// <summary>The pod's <c>version</c> label (<c>canary</c> for a canary's pods), <c>stable</c> when it has none.</summary>
    public string Version { get; }
    public string Service { get; }
    public string Pod { get; }
    public SortedDictionary<(string Method, string Code), long> Requests { get; } = new();
    /// <summary>Cumulative counts per bucket of <see cref="PlatformTraffic.Buckets"/>, then +Inf (= <see cref="Count"/>).</summary>
    public long[] Buckets { get; } = new long[PlatformTraffic.Buckets.Length];
    public long Count { get; set; }
    public double DurationSum { get; set; }
    public Dictionary<string, double> CpuSeconds { get; } = new(StringComparer.Ordinal);
    public double ReceiveBytes { get; set; }
    public double TransmitBytes { get; set; }
    /// <summary>Requests not yet served (the fractional part of rate × elapsed).</summary>
    internal double Carry { get; set; }
    internal long SeenAt { get; set; }
}

/// <summary>
/// Synthetic traffic on the platform services, advancing in real time: each running pod serves its share of its service's
/// steady rate (an even share, or its backend's weight of a TrafficSplit spread evenly over the backend's pods), each request with a log-normal latency around the service's median and a status code; the sandbox's fault
/// settings for the service (Set-OpsSandboxFault -Service api-service -ErrorRate/-LatencyMs) turn that share of requests
/// into 500/503 and add latency; a pod running a ':broken' image answers 503, a ':slow' one is slow. Counters only grow
/// while their pod lives; a pod that goes away takes its series with it, as a real scrape target would.
/// </summary>
public sealed class PlatformTraffic
{
    public const string Namespace = Kubernetes.KubePlatform.Namespace;
    public static readonly double[] Buckets = { 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 };
    /// <summary>Requests simulated one by one per pod and step; more (a long gap between scrapes) are scaled from these.</summary>
    private const int MaxSimulated = 4000;

    /// <summary>
    /// The platform services: requests per second, share of POSTs, median latency. A healthy service's p95 (about 2.3 times
    /// its median, σ = 0.5) stays well under HighLatencyP95's 1 s, also as histogram_quantile interpolates it in the buckets.
    /// </summary>
    public static readonly IReadOnlyList<PlatformServiceProfile> Services = new[]
    {
        new PlatformServiceProfile("api-service", 24, 0.25, 0.060),
        new PlatformServiceProfile("auth-service", 10, 0.4, 0.025),
        new PlatformServiceProfile("llm-service", 3, 1.0, 0.280),
        new PlatformServiceProfile("chatbot-service", 6, 0.6, 0.120),
        new PlatformServiceProfile("proposal-service", 2, 0.5, 0.180),
    };

    public static bool IsPlatformService(string name) => Services.Any(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    private readonly object _gate = new();
    private readonly Dictionary<string, PodTraffic> _pods = new(StringComparer.Ordinal);
    private readonly FaultInjector _faults;
    private readonly Random _random;
    private readonly Func<long> _now;
    private readonly double _ticksPerSecond;

    public PlatformTraffic(FaultInjector faults, Func<long>? now = null, double ticksPerSecond = 0, int? seed = null)
    {
        _faults = faults;
        _now = now ?? System.Diagnostics.Stopwatch.GetTimestamp;
        _ticksPerSecond = ticksPerSecond > 0 ? ticksPerSecond : System.Diagnostics.Stopwatch.Frequency;
        _random = seed is { } s ? new Random(s) : new Random();
    }

    // Business totals (per service), driven by the requests that succeeded.
    public double PropertySearches { get; private set; }
    public double ChatbotConversations { get; private set; }
    public double ProposalsGenerated { get; private set; }
    public double ProposalConversions { get; private set; }
    /// <summary>LLM calls by (model, status) and tokens by (model, type).</summary>
    public SortedDictionary<(string Model, string Status), long> LlmRequests { get; } = new();
    public SortedDictionary<(string Model, string Type), double> LlmTokens { get; } = new();

    /// <summary>
    /// A pod as the Kubernetes sandbox has it now: its service, its images and whether it runs; its version label; and, when a
    /// TrafficSplit routes its service, the share of the service's requests it serves (null: an even share of the service's running pods).
    /// </summary>
    public sealed record PodView(string Namespace, string Service, string Pod, IReadOnlyList<(string Container, string Image, double CpuCores)> Containers, bool Running,
        string Version = "stable", double? Share = null);

    /// <summary>
    /// Moves every pod in <paramref name="pods"/> forward to now and returns their totals (pods no longer there are dropped);
    /// under one lock, so concurrent scrapes see consistent, monotonic counters.
    /// </summary>
    public IReadOnlyList<PodTraffic> Advance(IReadOnlyList<PodView> pods)
    {
        lock (_gate)
        {
            var now = _now();
            var live = new HashSet<string>(StringComparer.Ordinal);
            var runningPerService = pods.Where(p => p.Running).GroupBy(p => p.Service).ToDictionary(g => g.Key, g => g.Count());
            foreach (var view in pods)
            {
                var key = view.Namespace + "/" + view.Pod;
                live.Add(key);
                if (!_pods.TryGetValue(key, out var traffic))
                {
                    _pods[key] = traffic = new PodTraffic(view.Namespace, view.Service, view.Pod, view.Version) { SeenAt = now };
                    continue;
                }
                var seconds = Math.Max(0, (now - traffic.SeenAt) / _ticksPerSecond);
                traffic.SeenAt = now;
                if (seconds <= 0 || !view.Running) continue;
                foreach (var (container, _, cores) in view.Containers)
                    traffic.CpuSeconds[container] = traffic.CpuSeconds.GetValueOrDefault(container) + cores * seconds;
                var profile = Services.FirstOrDefault(s => s.Name == view.Service && view.Namespace == Namespace);
                if (profile is null) continue;
                var share = view.Share ?? 1.0 / Math.Max(1, runningPerService.GetValueOrDefault(view.Service, 1));
                Serve(traffic, profile, view, seconds, share);
            }
            foreach (var gone in _pods.Keys.Where(k => !live.Contains(k)).ToList()) _pods.Remove(gone);
            return _pods.Values.OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Pod, StringComparer.Ordinal).ToList();
        }
    }

    private void Serve(PodTraffic traffic, PlatformServiceProfile profile, PodView view, double seconds, double podShare)
    {
        var expected = profile.RequestsPerSecond * podShare * seconds + traffic.Carry;
        var n = (long)Math.Floor(expected);
        traffic.Carry = expected - n;
        if (n == 0) return;
        var fault = _faults.For(profile.Name);
        var image = view.Containers.Count > 0 ? view.Containers[0].Image : "";
        var broken = image.Contains(":broken", StringComparison.Ordinal);
        var slow = image.Contains(":slow", StringComparison.Ordinal);
        var simulated = Math.Min(n, MaxSimulated);
        var scale = (double)n / simulated;

        var counts = new Dictionary<(string, string), long>();
        var buckets = new long[Buckets.Length];
        double sum = 0;
        long ok = 0, okPosts = 0, okGets = 0;
        for (var i = 0; i < simulated; i++)
        {
            var post = _random.NextDouble() < profile.PostShare;
            string code;
            double latency;
            if (broken)
            {
                code = "503";
                latency = 0.002 + _random.NextDouble() * 0.004;
            }
            else
            {
                latency = profile.MedianSeconds * Math.Exp(0.5 * Gaussian()) + fault.LatencyMs / 1000.0 + (slow ? 2.0 : 0);
                var roll = _random.NextDouble();
                if (roll < fault.ErrorRate) code = _random.NextDouble() < 0.6 ? "500" : "503";
                else if (roll < fault.ErrorRate + 0.002) code = "500"; // the odd failure a healthy service has
                else if (roll < fault.ErrorRate + 0.015) code = post ? "400" : "404";
                else code = post ? "201" : "200";
            }
            var method = post ? "POST" : "GET";
            counts[(method, code)] = counts.GetValueOrDefault((method, code)) + 1;
            for (var b = 0; b < Buckets.Length; b++) if (latency <= Buckets[b]) buckets[b]++;
            sum += latency;
            if (code[0] == '2')
            {
                ok++;
                if (post) okPosts++; else okGets++;
            }
        }
        foreach (var (k, c) in counts) traffic.Requests[k] = traffic.Requests.GetValueOrDefault(k) + Scaled(c, scale);
        for (var b = 0; b < Buckets.Length; b++) traffic.Buckets[b] += Scaled(buckets[b], scale);
        traffic.Count += n;
        traffic.DurationSum += sum * scale;
        traffic.ReceiveBytes += n * 1800 + 120 * seconds;
        traffic.TransmitBytes += n * 6400 + 90 * seconds;

        var total = (double)n;
        switch (profile.Name)
        {
            case "api-service": PropertySearches += okGets * scale * 0.45; break;
            case "chatbot-service": ChatbotConversations += okPosts * scale * 0.35; break;
            case "proposal-service":
                ProposalsGenerated += okPosts * scale;
                ProposalConversions += okPosts * scale * 0.12;
                break;
            case "llm-service":
                var okCalls = ok * scale;
                var failed = total - okCalls;
                foreach (var (model, share) in new[] { ("gpt-4o-mini", 0.8), ("gpt-4o", 0.2) })
                {
                    var succeeded = (long)Math.Round(okCalls * share);
                    AddLlm(model, "success", succeeded);
                    AddLlm(model, "error", (long)Math.Round(failed * share));
                    LlmTokens[(model, "prompt")] = LlmTokens.GetValueOrDefault((model, "prompt")) + succeeded * (model == "gpt-4o" ? 1450 : 920);
                    LlmTokens[(model, "completion")] = LlmTokens.GetValueOrDefault((model, "completion")) + succeeded * (model == "gpt-4o" ? 380 : 240);
                }
                break;
        }
    }

    private void AddLlm(string model, string status, long count) => LlmRequests[(model, status)] = LlmRequests.GetValueOrDefault((model, status)) + count;

    private static long Scaled(long count, double scale) => scale == 1 ? count : (long)Math.Round(count * scale);

    private double Gaussian()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Signed-in users right now: follows the API's traffic over the day.</summary>
    public double ActiveUsers(DateTimeOffset now)
    {
        var hour = now.UtcDateTime.TimeOfDay.TotalHours;
        return Math.Round(140 + 60 * Math.Sin((hour - 9) / 24 * 2 * Math.PI));
    }
}
