using System.Globalization;
using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>
/// The seeded platform: nodes of node group standard-nodes (and one GPU node), the real-estate-ai
/// deployments with their services and pods placed on known nodes, DaemonSets and a mirror pod in
/// kube-system, a pod with emptyDir data, the db-credentials secret and a disruption budget that blocks a
/// drain of the first node until api-service's replacement pod is ready elsewhere. Also the bench's bulk seeds.
/// </summary>
public sealed class KubePlatform
{
    public const string Namespace = "real-estate-ai";
    public const string NodeGroupLabel = "eks.amazonaws.com/nodegroup";
    public const string DefaultContainerAnnotation = "kubectl.kubernetes.io/default-container";
    public static readonly string[] StandardNodes = { "ip-10-0-1-21.ec2.internal", "ip-10-0-2-34.ec2.internal", "ip-10-0-3-47.ec2.internal" };
    public const string GpuNode = "ip-10-0-4-58.ec2.internal";

    /// <summary>The kubelet version of the seeded nodes (EKS's 1.32 AMI release 1.32.3-20250212).</summary>
    public const string SeedKubeletVersion = "v1.32.3-eks-473151a";
    private readonly KubeStore _store;
    private volatile KubeServerVersion _serverVersion = new("1", "32", "v1.32.3-eks-473151a");

    public KubePlatform(KubeStore store) => _store = store;

    /// <summary>What /version reports (kubectl version): the control plane's version, which EKS moves when a cluster update completes.</summary>
    public KubeServerVersion ServerVersion { get => _serverVersion; set => _serverVersion = value ?? throw new ArgumentNullException(nameof(value)); }

    /// <summary>The llm-service's configuration (ConfigMap): the provider, its fallback and the request limit it applies.</summary>
    public const string LlmConfigMap = "llm-service-config";

    /// <param name="database">The platform database: the db-credentials secret holds its address and app login (the RDS
    /// instance's endpoint, as in the sandbox's RDS API), so that the app's pods and Test-DbConnectionSecret reach it. Without
    /// one (tests of the store alone) the secret names an RDS endpoint that nothing answers.</param>
    public void Seed(Postgres.PlatformDatabase? database = null)
    {
        lock (_store.Gate)
        {
            foreach (var ns in new[] { "default", "kube-system", "kube-public", Namespace, Monitoring.PlatformAlertRules.Namespace })
                _store.Create(KubeResources.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns, ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = ns } }, ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") }, ["status"] = new JsonObject { ["phase"] = "Active" } });
            var zones = new[] { "us-east-1a", "us-east-1b", "us-east-1c" };
            for (var i = 0; i < StandardNodes.Length; i++) Node(StandardNodes[i], "standard-nodes", "m5.xlarge", zones[i], "3920m", "15167704Ki");
            Node(GpuNode, "gpu-nodes", "g5.xlarge", "us-east-1a", "3920m", "15896828Ki");

            foreach (var ds in new[] { ("aws-node", "602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon-k8s-cni:v1.19.0"), ("kube-proxy", "602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/kube-proxy:v1.32.0-eksbuild.2") })
            {
                var set = _store.Create(KubeResources.DaemonSets, new JsonObject
                {
                    ["metadata"] = new JsonObject { ["name"] = ds.Item1, ["namespace"] = "kube-system", ["labels"] = new JsonObject { ["k8s-app"] = ds.Item1 } },
                    ["spec"] = new JsonObject
                    {
                        ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["k8s-app"] = ds.Item1 } },
                        ["template"] = Template(new JsonObject { ["k8s-app"] = ds.Item1 }, new[] { Container(ds.Item1, ds.Item2, "25m", "64Mi") }, grace: 5,
                            tolerations: new JsonArray(new JsonObject { ["operator"] = "Exists" })),
                    },
                });
                foreach (var node in StandardNodes.Append(GpuNode)) RunningPod(set, ds.Item1 + "-" + KubeStore.RandomSuffix(), node);
            }
            // A static pod's mirror, as the kubelet creates it: annotated, owned by its node; drains skip it.
            var n1 = _store.Get(KubeResources.Nodes, null, StandardNodes[0])!;
            var mirror = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = "node-problem-detector-" + StandardNodes[0], ["namespace"] = "kube-system",
                    ["labels"] = new JsonObject { ["component"] = "node-problem-detector", ["tier"] = "node" },
                    ["annotations"] = new JsonObject { ["kubernetes.io/config.mirror"] = "5d7e0c1f2a3b4c5d6e7f8091a2b3c4d5", ["kubernetes.io/config.source"] = "file" },
                    ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = StandardNodes[0], ["uid"] = KubeStore.UidOf(n1), ["controller"] = true }),
                },
                ["spec"] = ((JsonObject)Template(new JsonObject(), new[] { Container("node-problem-detector", "registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.19", "20m", "40Mi") }, 5)["spec"]!.DeepClone()),
            };
            mirror["spec"]!["nodeName"] = StandardNodes[0];
            _store.Create(KubeResources.Pods, mirror);

            var (a, b, c) = (StandardNodes[0], StandardNodes[1], StandardNodes[2]);
            Deploy("api-service", "real-estate-ai/api-service:1.8.2", 8000, new[] { a, a, b }, "150m", "384Mi", sidecar: true);
            Deploy("auth-service", "real-estate-ai/auth-service:1.4.0", 8001, new[] { b, c }, "60m", "192Mi");
            _store.Create(KubeResources.ConfigMaps, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = LlmConfigMap, ["namespace"] = Namespace, ["labels"] = new JsonObject { ["app"] = "llm-service" } },
                ["data"] = new JsonObject
                {
                    ["LLM_PROVIDER"] = "openai", ["LLM_MODEL"] = "gpt-4o-mini", ["LLM_FALLBACK_PROVIDER"] = "anthropic", ["LLM_FALLBACK_MODEL"] = "claude-3-5-haiku-latest",
                    ["LLM_RATE_LIMIT_RPM"] = "600", ["LLM_TIMEOUT_SECONDS"] = "30",
                },
            });
            Deploy("llm-service", "real-estate-ai/llm-service:2.1.0", 8002, new[] { GpuNode, GpuNode }, "900m", "3072Mi", nodeGroup: "gpu-nodes", envFromConfigMap: LlmConfigMap);
            Deploy("chatbot-service", "real-estate-ai/chatbot-service:1.6.1", 8003, new[] { a, c }, "120m", "256Mi", emptyDir: true);
            Deploy("proposal-service", "real-estate-ai/proposal-service:1.2.3", 8004, new[] { b, c }, "80m", "256Mi");
            Deploy("frontend", "real-estate-ai/frontend:3.0.4", 80, new[] { a, b }, "30m", "96Mi");
            _store.Create(KubeResources.PodDisruptionBudgets, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = "api-service-pdb", ["namespace"] = Namespace },
                ["spec"] = new JsonObject { ["minAvailable"] = 2, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "api-service" } } },
            });
            _store.Create(KubeResources.Secrets, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = "db-credentials", ["namespace"] = Namespace },
                ["type"] = "Opaque",
                ["stringData"] = new JsonObject
                {
                    ["host"] = database?.Host ?? "real-estate-ai-db.c9akciq32.us-east-1.rds.amazonaws.com",
                    ["port"] = (database?.Port ?? 5432).ToString(CultureInfo.InvariantCulture), ["database"] = database?.Database ?? "real_estate_ai",
                    ["user"] = database?.User ?? "real_estate_app", ["password"] = database?.Password ?? "sandbox-" + KubeStore.RandomSuffix(12),
                },
            });
            _store.Create(KubeResources.ConfigMaps, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = "app-config", ["namespace"] = Namespace },
                ["data"] = new JsonObject { ["LOG_LEVEL"] = "info", ["LLM_MODEL"] = "gpt-4o-mini", ["REDIS_URL"] = "redis://redis:6379/0" },
            });
            // The platform's alert rules, as prometheus-operator finds them (and the sandbox's Prometheus loads them).
            _store.Create(KubeResources.PrometheusRules, Monitoring.PlatformAlertRules.Object());
            // A cluster that has been running for a while: nodes for a month, the platform's objects for a day.
            foreach (var r in KubeResources.Served.Where(r => r.Stored && r != KubeResources.Pods))
                foreach (var o in _store.Items(r).ToList())
                    _store.Update(r, o, x => KubeStore.Meta(x)["creationTimestamp"] = KubeStore.Timestamp(_store.Clock.UtcNow - (r == KubeResources.Nodes || r == KubeResources.Namespaces ? TimeSpan.FromDays(34) : TimeSpan.FromHours(26))));
        }
    }

    private void Node(string name, string group, string type, string zone, string cpu, string memory) =>
        AddNode(name, group, type, zone, cpu, memory, SeedKubeletVersion, null);

    /// <summary>A ready node of a node group (EKS's managed node groups launch them), its kubelet at <paramref name="kubeletVersion"/>.</summary>
    public JsonObject AddNode(string name, string group, string type, string zone, string cpu, string memory, string kubeletVersion, IReadOnlyDictionary<string, string>? extraLabels)
    {
        var node = _store.Create(KubeResources.Nodes, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = new JsonObject
                {
                    ["kubernetes.io/hostname"] = name, ["kubernetes.io/os"] = "linux", ["kubernetes.io/arch"] = "amd64", [NodeGroupLabel] = group,
                    ["node.kubernetes.io/instance-type"] = type, ["topology.kubernetes.io/zone"] = zone, ["topology.kubernetes.io/region"] = "us-east-1",
                },
            },
            ["spec"] = new JsonObject { ["providerID"] = $"aws:///{zone}/i-0{Math.Abs(name.GetHashCode(StringComparison.Ordinal)):x8}" },
            ["status"] = new JsonObject
            {
                ["capacity"] = new JsonObject { ["cpu"] = "4", ["memory"] = "16069816Ki", ["pods"] = "58", ["ephemeral-storage"] = "83873772Ki" },
                ["allocatable"] = new JsonObject { ["cpu"] = cpu, ["memory"] = memory, ["pods"] = "58", ["ephemeral-storage"] = "76224326324" },
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "MemoryPressure", ["status"] = "False", ["reason"] = "KubeletHasSufficientMemory" },
                    new JsonObject { ["type"] = "DiskPressure", ["status"] = "False", ["reason"] = "KubeletHasNoDiskPressure" },
                    new JsonObject { ["type"] = "PIDPressure", ["status"] = "False", ["reason"] = "KubeletHasSufficientPID" },
                    new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady", ["message"] = "kubelet is posting ready status" }),
                ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = KubeController.NodeIp(name) }, new JsonObject { ["type"] = "Hostname", ["address"] = name }),
                ["nodeInfo"] = new JsonObject { ["kubeletVersion"] = kubeletVersion, ["kubeProxyVersion"] = kubeletVersion, ["osImage"] = "Amazon Linux 2023.6.20250203", ["containerRuntimeVersion"] = "containerd://1.7.25", ["architecture"] = "amd64", ["operatingSystem"] = "linux" },
            },
        });
        if (extraLabels is { Count: > 0 })
            _store.Update(KubeResources.Nodes, node, o => { foreach (var (k, v) in extraLabels) ((JsonObject)KubeStore.Meta(o)["labels"]!)[k] = v; });
        return _store.Get(KubeResources.Nodes, null, name)!;
    }

    private static JsonObject Container(string name, string image, string cpu, string memory, int? port = null)
    {
        var c = new JsonObject
        {
            ["name"] = name, ["image"] = image, ["imagePullPolicy"] = "IfNotPresent",
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = cpu, ["memory"] = memory } },
            ["terminationMessagePath"] = "/dev/termination-log", ["terminationMessagePolicy"] = "File",
        };
        if (port is { } p) c["ports"] = new JsonArray(new JsonObject { ["containerPort"] = p, ["protocol"] = "TCP", ["name"] = "http" });
        return c;
    }

    private static JsonObject Template(JsonObject labels, JsonObject[] containers, int grace, JsonArray? volumes = null, JsonObject? annotations = null, JsonObject? nodeSelector = null, JsonArray? tolerations = null)
    {
        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(containers.Select(c => (JsonNode)c).ToArray()),
            ["restartPolicy"] = "Always", ["terminationGracePeriodSeconds"] = grace, ["dnsPolicy"] = "ClusterFirst", ["schedulerName"] = "default-scheduler",
        };
        if (volumes is not null) spec["volumes"] = volumes;
        if (nodeSelector is not null) spec["nodeSelector"] = nodeSelector;
        if (tolerations is not null) spec["tolerations"] = tolerations;
        var meta = new JsonObject { ["labels"] = labels };
        if (annotations is not null) meta["annotations"] = annotations;
        return new JsonObject { ["metadata"] = meta, ["spec"] = spec };
    }

    /// <summary>A deployment with its first replica set and running pods on the given nodes, as a settled cluster has them.</summary>
    public JsonObject Deploy(string name, string image, int port, string[] nodes, string cpu, string memory, bool sidecar = false, bool emptyDir = false,
        string? nodeGroup = null, string ns = Namespace, int grace = 6, bool service = true, string? envFromConfigMap = null)
    {
        var labels = new JsonObject { ["app"] = name, ["app.kubernetes.io/part-of"] = "real-estate-ai" };
        var containers = new List<JsonObject> { Container(name.Replace("-service", ""), image, cpu, memory, port) };
        containers[0]["env"] = new JsonArray(
            new JsonObject { ["name"] = "DB_HOST", ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = "db-credentials", ["key"] = "host" } } },
            new JsonObject { ["name"] = "DB_PASSWORD", ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = "db-credentials", ["key"] = "password" } } });
        if (envFromConfigMap is not null) containers[0]["envFrom"] = new JsonArray(new JsonObject { ["configMapRef"] = new JsonObject { ["name"] = envFromConfigMap } });
        if (sidecar) containers.Add(Container("envoy", "envoyproxy/envoy:v1.31.2", "20m", "48Mi"));
        JsonArray? volumes = null;
        if (emptyDir)
        {
            volumes = new JsonArray(new JsonObject { ["name"] = "conversation-cache", ["emptyDir"] = new JsonObject { ["sizeLimit"] = "1Gi" } });
            containers[0]["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "conversation-cache", ["mountPath"] = "/var/cache/chatbot" });
        }
        var annotations = sidecar ? new JsonObject { [DefaultContainerAnnotation] = containers[0]["name"]!.GetValue<string>() } : null;
        var template = Template(labels, containers.ToArray(), grace, volumes, annotations, nodeGroup is null ? null : new JsonObject { [NodeGroupLabel] = nodeGroup });
        var deployment = _store.Create(KubeResources.Deployments, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels.DeepClone(), ["annotations"] = new JsonObject { [KubeController.RevisionAnnotation] = "1" } },
            ["spec"] = new JsonObject
            {
                ["replicas"] = nodes.Length, ["revisionHistoryLimit"] = 10, ["progressDeadlineSeconds"] = 600,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["strategy"] = new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxSurge"] = "25%", ["maxUnavailable"] = "25%" } },
                ["template"] = template,
            },
        });
        var hash = KubeController.TemplateHash(template);
        var rsTemplate = (JsonObject)template.DeepClone();
        ((JsonObject)rsTemplate["metadata"]!["labels"]!)["pod-template-hash"] = hash;
        var rsLabels = (JsonObject)rsTemplate["metadata"]!["labels"]!.DeepClone();
        var rs = _store.Create(KubeResources.ReplicaSets, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name + "-" + hash, ["namespace"] = ns, ["labels"] = rsLabels,
                ["annotations"] = new JsonObject { [KubeController.RevisionAnnotation] = "1" },
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = name, ["uid"] = KubeStore.UidOf(deployment), ["controller"] = true, ["blockOwnerDeletion"] = true }),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = nodes.Length,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name, ["pod-template-hash"] = hash } },
                ["template"] = rsTemplate,
            },
        });
        foreach (var node in nodes) RunningPod(rs, rs["metadata"]!["name"] + "-" + KubeStore.RandomSuffix(), node);
        if (service)
            _store.Create(KubeResources.Services, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels.DeepClone() },
                ["spec"] = new JsonObject
                {
                    ["type"] = "ClusterIP", ["clusterIP"] = $"172.20.{Math.Abs(name.GetHashCode(StringComparison.Ordinal)) % 250}.{port % 250 + 1}",
                    ["selector"] = new JsonObject { ["app"] = name },
                    ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = port == 80 ? 80 : 80, ["targetPort"] = port, ["protocol"] = "TCP" }),
                },
            });
        return deployment;
    }

    /// <summary>A pod of a controller, already bound to a node and running (the seeded, settled state).</summary>
    private void RunningPod(JsonObject owner, string name, string node)
    {
        var template = (JsonObject)owner["spec"]!["template"]!.DeepClone();
        var meta = KubeStore.Meta(template);
        meta["name"] = name;
        meta["namespace"] = KubeStore.NamespaceOf(owner);
        meta["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = owner["apiVersion"]!.DeepClone(), ["kind"] = owner["kind"]!.DeepClone(), ["name"] = KubeStore.NameOf(owner), ["uid"] = KubeStore.UidOf(owner), ["controller"] = true, ["blockOwnerDeletion"] = true });
        template["spec"]!["nodeName"] = node;
        template["status"] = new JsonObject { ["phase"] = "Pending" };
        var pod = _store.Create(KubeResources.Pods, template);
        // Started a while ago: the kubelet marks it running at the next tick.
        _store.Update(KubeResources.Pods, pod, o => KubeStore.Meta(o)["creationTimestamp"] = KubeStore.Timestamp(_store.Clock.UtcNow - TimeSpan.FromHours(26)));
    }

    /// <summary>Bench seed: a node of its own with <paramref name="pods"/> pods, most in one deployment, some behind a budget released after a while.</summary>
    public object SeedDrainBench(string node, int pods, int grace, double budgetReleaseSeconds, int guarded)
    {
        lock (_store.Gate)
        {
            if (_store.Get(KubeResources.Namespaces, null, "bench") is null)
                _store.Create(KubeResources.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "bench" } });
            if (_store.Get(KubeResources.Nodes, null, node) is null) Node(node, "bench-nodes", "m5.4xlarge", "us-east-1a", "15890m", "63000000Ki");
            var suffix = node.Split('.')[0];
            guarded = Math.Clamp(guarded, 0, pods);
            Deploy("bench-" + suffix, "real-estate-ai/bench-worker:1.0.0", 9000, Enumerable.Repeat(node, pods - guarded).ToArray(), "10m", "32Mi", ns: "bench", grace: grace, service: false);
            if (guarded > 0)
            {
                Deploy("guarded-" + suffix, "real-estate-ai/bench-worker:1.0.0", 9000, Enumerable.Repeat(node, guarded).ToArray(), "10m", "32Mi", ns: "bench", grace: grace, service: false);
                _store.Create(KubeResources.PodDisruptionBudgets, new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["name"] = "guarded-" + suffix + "-pdb", ["namespace"] = "bench",
                        ["annotations"] = new JsonObject { [KubeController.ReleaseAnnotation] = KubeStore.Timestamp(_store.Clock.UtcNow + TimeSpan.FromSeconds(budgetReleaseSeconds)) },
                    },
                    ["spec"] = new JsonObject { ["minAvailable"] = guarded, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "guarded-" + suffix } } },
                });
            }
            return new { node, pods, guarded };
        }
    }

    /// <summary>Bench seed: many running pods (as a busy cluster lists them) in a namespace of their own.</summary>
    public object SeedListBench(string ns, int pods)
    {
        lock (_store.Gate)
        {
            if (_store.Get(KubeResources.Namespaces, null, ns) is null)
                _store.Create(KubeResources.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
            var nodes = StandardNodes;
            var template = Template(new JsonObject { ["app"] = "list-bench", ["app.kubernetes.io/part-of"] = "real-estate-ai" }, new[] { Container("worker", "real-estate-ai/bench-worker:1.0.0", "10m", "32Mi", 9000) }, 30);
            var started = KubeStore.Timestamp(_store.Clock.UtcNow - TimeSpan.FromHours(3));
            for (var i = 0; i < pods; i++)
            {
                var pod = (JsonObject)template.DeepClone();
                KubeStore.Meta(pod)["name"] = $"list-bench-{i:D5}";
                KubeStore.Meta(pod)["namespace"] = ns;
                pod["spec"]!["nodeName"] = nodes[i % nodes.Length];
                pod["status"] = new JsonObject
                {
                    ["phase"] = "Running", ["podIP"] = $"10.2.{i / 250}.{i % 250 + 1}", ["hostIP"] = KubeController.NodeIp(nodes[i % nodes.Length]), ["startTime"] = started,
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "PodScheduled", ["status"] = "True" }, new JsonObject { ["type"] = "Ready", ["status"] = "True" }, new JsonObject { ["type"] = "ContainersReady", ["status"] = "True" }, new JsonObject { ["type"] = "Initialized", ["status"] = "True" }),
                    ["containerStatuses"] = new JsonArray(new JsonObject { ["name"] = "worker", ["image"] = "real-estate-ai/bench-worker:1.0.0", ["ready"] = true, ["started"] = true, ["restartCount"] = 0, ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = started } } }),
                };
                _store.Create(KubeResources.Pods, pod);
            }
            return new { @namespace = ns, pods };
        }
    }
}
