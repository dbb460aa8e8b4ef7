using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>The API refused a request (<see cref="KubeClient.TryCall"/>): its Status answer, and the error that stands for it.</summary>
internal sealed record KubeRefusal(KubeStatus Status, OpsException Error);
