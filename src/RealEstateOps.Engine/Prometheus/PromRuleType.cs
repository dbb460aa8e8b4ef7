namespace RealEstateOps.Engine.Prometheus;

public enum PromRuleType
{
    Alerting,
    Recording,
}
