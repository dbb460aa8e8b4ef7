using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>
/// What an admission webhook and an operator do for one kind of object: refuse it before it is stored (throw a
/// <see cref="KubeApiException"/>, e.g. 422 Invalid), and act on it once it is stored or deleted.
/// </summary>
public interface IKubeAdmission
{
    bool Handles(KubeResource resource);
    /// <summary>Throws when <paramref name="obj"/> must not be stored (create, update, patch; dry runs too).</summary>
    Task ValidateAsync(JsonObject obj, CancellationToken ct);
    /// <summary>After <paramref name="obj"/> was created or replaced.</summary>
    Task AppliedAsync(JsonObject obj, CancellationToken ct);
    /// <summary>After <paramref name="obj"/> was deleted.</summary>
    Task DeletedAsync(JsonObject obj, CancellationToken ct);
}
