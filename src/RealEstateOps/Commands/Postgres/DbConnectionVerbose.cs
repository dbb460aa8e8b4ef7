using System.Management.Automation;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Commands.Postgres;

/// <summary>The cmdlet side of <see cref="DbConnectionSettings"/>: resolves a command's database connection and writes where each setting came from to verbose.</summary>
internal static class DbConnectionVerbose
{
    public static DbConnectionRequest Resolve(Cmdlet cmdlet, ActiveContext context, DbConnectionParameters given)
    {
        var settings = DbConnectionSettings.Resolve(given, context);
        foreach (var line in settings.Describe()) cmdlet.WriteVerbose(line);
        return settings.Request();
    }
}
