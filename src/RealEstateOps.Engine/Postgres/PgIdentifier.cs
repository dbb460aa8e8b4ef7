namespace RealEstateOps.Engine.Postgres;

/// <summary>SQL identifiers as PostgreSQL's quote_ident writes them: always double-quoted, inner quotes doubled, so no name can end the identifier.</summary>
public static class PgIdentifier
{
    public static string Quote(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Contains('\0')) throw new ArgumentException("An identifier is not empty and has no NUL character.", nameof(name));
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>schema.name, both quoted.</summary>
    public static string Qualified(string schema, string name) => Quote(schema) + "." + Quote(name);
}
