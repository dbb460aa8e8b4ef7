namespace RealEstateOps.Engine.Kubernetes;

public enum HealthStatus { Healthy, Degraded, Failed }
