namespace RealEstateOps.Engine.Langfuse;

/// <summary>An observation's level in Langfuse (ERROR: the call failed; WARNING: it answered with a problem, e.g. truncated).</summary>
public enum LlmLevel { Debug, Default, Warning, Error }
