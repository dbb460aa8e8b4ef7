namespace RealEstateOps.Engine.S3;

/// <summary>The verdict on one point: it holds, it does not, or its configuration could not be read (which fails too).</summary>
public enum S3ProtectionVerdict { Pass, Fail, Unreadable }
