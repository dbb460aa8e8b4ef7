namespace RealEstateOps.Sandbox.ArgoCd;

/// <summary>
/// An error argocd-server returns: a gRPC status (code and message) that grpc-gateway answers with the HTTP status it maps the
/// code to, in the body <c>{"error": message, "code": code, "message": message}</c>.
/// </summary>
public sealed class ArgoCdFault : Exception
{
    public const int InvalidArgument = 3;
    public const int NotFound = 5;
    public const int PermissionDenied_ = 7;
    public const int FailedPrecondition = 9;
    public const int Unimplemented = 12;
    public const int Internal = 13;
    public const int Unavailable = 14;
    public const int Unauthenticated = 16;

    public ArgoCdFault(int code, string message) : base(message) => Code = code;

    public int Code { get; }

    /// <summary>grpc-gateway's mapping of a gRPC code to an HTTP status (runtime.HTTPStatusFromCode).</summary>
    public static int HttpStatusOf(int code) => code switch
    {
        0 => 200,
        1 => 499, // Canceled
        3 or 9 or 11 => 400, // InvalidArgument, FailedPrecondition, OutOfRange
        4 => 504, // DeadlineExceeded
        5 => 404,
        6 or 10 => 409, // AlreadyExists, Aborted
        7 => 403,
        8 => 429, // ResourceExhausted
        12 => 501,
        14 => 503,
        16 => 401,
        _ => 500,
    };

    /// <summary>The gRPC code an HTTP status stands for (the fault injector speaks HTTP).</summary>
    public static int CodeOf(int httpStatus) => httpStatus switch
    {
        400 => InvalidArgument, 401 => Unauthenticated, 403 => PermissionDenied_, 404 => NotFound, 409 => 10, 429 => 8,
        501 => Unimplemented, 503 => Unavailable, 504 => 4, _ => httpStatus >= 500 ? 2 : 2,
    };

    public int HttpStatus => HttpStatusOf(Code);

    public static ArgoCdFault PermissionDenied() => new(PermissionDenied_, "permission denied");
    public static ArgoCdFault Invalid(string message) => new(InvalidArgument, message);
}
