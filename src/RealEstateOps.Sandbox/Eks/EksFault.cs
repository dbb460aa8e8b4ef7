namespace RealEstateOps.Sandbox.Eks;

/// <summary>
/// An error as EKS reports it: the HTTP status, the exception name (x-amzn-ErrorType: InvalidParameterException,
/// ResourceNotFoundException, ResourceInUseException, InvalidStateException, ...), the message, and the resource
/// names EKS adds to the body (clusterName, nodegroupName, addonName).
/// </summary>
public sealed class EksFault : Exception
{
    public EksFault(int status, string code, string message, string? clusterName = null, string? nodegroupName = null, string? addonName = null) : base(message)
    {
        Status = status;
        Code = code;
        ClusterName = clusterName;
        NodegroupName = nodegroupName;
        AddonName = addonName;
    }

    public int Status { get; }
    public string Code { get; }
    public string? ClusterName { get; }
    public string? NodegroupName { get; }
    public string? AddonName { get; }

    public static EksFault InvalidParameter(string message, string? cluster = null, string? nodegroup = null, string? addon = null) =>
        new(400, "InvalidParameterException", message, cluster, nodegroup, addon);

    public static EksFault InvalidRequest(string message, string? cluster = null, string? nodegroup = null, string? addon = null) =>
        new(400, "InvalidRequestException", message, cluster, nodegroup, addon);

    public static EksFault NotFound(string message, string? cluster = null, string? nodegroup = null, string? addon = null) =>
        new(404, "ResourceNotFoundException", message, cluster, nodegroup, addon);

    public static EksFault InUse(string message, string? cluster = null, string? nodegroup = null, string? addon = null) =>
        new(409, "ResourceInUseException", message, cluster, nodegroup, addon);
}
