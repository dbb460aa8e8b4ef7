namespace RealEstateOps.Engine.Prometheus;

/// <summary>The shape of a query's result, as Prometheus names it in <c>resultType</c>.</summary>
public enum PromResultType
{
    Vector,
    Matrix,
    Scalar,
    String,
}
