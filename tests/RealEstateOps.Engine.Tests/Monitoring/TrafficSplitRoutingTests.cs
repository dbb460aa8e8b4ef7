using System.Text.Json.Nodes;
using RealEstateOps.Sandbox.Control;
using RealEstateOps.Sandbox.Kubernetes;
using RealEstateOps.Sandbox.Monitoring;

namespace RealEstateOps.Engine.Tests.Monitoring;

/// <summary>The platform's traffic follows a TrafficSplit: a service's requests go to its backends by weight, evenly inside a backend.</summary>
public class TrafficSplitRoutingTests
{
    private const string Ns = "real-estate-ai";

    private static KubeStore Store()
    {
        var store = new KubeStore(new SandboxClock(1));
        store.Create(KubeResources.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = Ns } });
        return store;
    }

    private static void Pod(KubeStore store, string name, bool canary) => store.Create(KubeResources.Pods, new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns, ["labels"] = canary ? new JsonObject { ["app"] = "api-service", ["version"] = "canary" } : new JsonObject { ["app"] = "api-service" } },
        ["spec"] = new JsonObject { ["nodeName"] = "n1", ["containers"] = new JsonArray(new JsonObject { ["name"] = "api", ["image"] = "api:1" }) },
        ["status"] = new JsonObject { ["phase"] = "Running" },
    });

    private static void Service(KubeStore store, string name, JsonObject selector) => store.Create(KubeResources.Services, new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns }, ["spec"] = new JsonObject { ["selector"] = selector },
    });

    private static Dictionary<string, double> Shares(KubeStore store) =>
        TrafficSplitRouting.Shares(store, store.Items(KubeResources.Pods).ToList(), PlatformMetrics.ServiceOf);

    [Fact]
    public void Requests_go_to_the_backends_by_weight_evenly_inside_a_backend()
    {
        var store = Store();
        foreach (var p in new[] { "s1", "s2", "s3" }) Pod(store, p, canary: false);
        Pod(store, "c1", canary: true);
        Assert.Empty(Shares(store)); // no split: the even spread over the service's pods
        Service(store, "api-service-stable", new JsonObject { ["app"] = "api-service" });
        Service(store, "api-service-canary", new JsonObject { ["app"] = "api-service", ["version"] = "canary" });
        store.Create(KubeResources.TrafficSplitsV1Alpha2, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "api-service", ["namespace"] = Ns },
            ["spec"] = new JsonObject
            {
                ["service"] = "api-service",
                ["backends"] = new JsonArray(new JsonObject { ["service"] = "api-service-stable", ["weight"] = 75 }, new JsonObject { ["service"] = "api-service-canary", ["weight"] = 25 }),
            },
        });
        var shares = Shares(store);
        Assert.Equal(0.25, shares[Ns + "/c1"], 6);
        foreach (var p in new[] { "s1", "s2", "s3" }) Assert.Equal(0.25, shares[Ns + "/" + p], 6);
        Assert.Equal(1.0, shares.Values.Sum(), 6);
    }

    [Fact]
    public void A_backend_at_zero_gets_nothing_and_a_split_weighing_nothing_is_ignored()
    {
        var store = Store();
        Pod(store, "s1", canary: false);
        Pod(store, "c1", canary: true);
        Service(store, "api-service-stable", new JsonObject { ["app"] = "api-service" });
        Service(store, "api-service-canary", new JsonObject { ["app"] = "api-service", ["version"] = "canary" });
        var split = store.Create(KubeResources.TrafficSplits, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "api-service", ["namespace"] = Ns },
            ["spec"] = new JsonObject
            {
                ["service"] = "api-service",
                ["backends"] = new JsonArray(new JsonObject { ["service"] = "api-service-stable", ["weight"] = 100 }, new JsonObject { ["service"] = "api-service-canary", ["weight"] = 0 }),
            },
        });
        var shares = Shares(store);
        Assert.Equal(1.0, shares[Ns + "/s1"], 6);
        Assert.Equal(0.0, shares[Ns + "/c1"], 6);
        var zero = (JsonObject)split.DeepClone();
        zero["spec"]!["backends"]![0]!["weight"] = 0;
        store.Replace(KubeResources.TrafficSplits, Ns, "api-service", zero);
        Assert.Empty(Shares(store));
    }
}
