namespace RealEstateOps.Engine.Common;

/// <summary>
/// Where the module keeps its files: contexts (config), the journal (data) and sandbox state.
/// Follows the XDG base directories on Linux and macOS and the application-data folders on Windows.
/// REALESTATEOPS_CONFIG_HOME, REALESTATEOPS_DATA_HOME and REALESTATEOPS_STATE_HOME override each
/// folder (tests and side-by-side installations use them); REALESTATEOPS_JOURNAL names the journal file.
/// </summary>
public sealed class OpsPaths
{
    public const string AppFolder = "realestateops";

    public OpsPaths(string configHome, string dataHome, string stateHome, string? journalFile = null)
    {
        ConfigHome = configHome;
        DataHome = dataHome;
        StateHome = stateHome;
        JournalFile = journalFile ?? Path.Combine(dataHome, "journal.jsonl");
    }

    public string ConfigHome { get; }
    public string DataHome { get; }
    public string StateHome { get; }
    public string JournalFile { get; }
    public string ContextsFolder => Path.Combine(ConfigHome, "contexts");
    public string SandboxFolder => Path.Combine(StateHome, "sandbox");

    public static OpsPaths FromEnvironment(Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string Pick(string own, string xdg, string unixDefault, Environment.SpecialFolder windowsFolder)
        {
            var value = env(own);
            if (!string.IsNullOrWhiteSpace(value)) return value;
            if (OperatingSystem.IsWindows())
                return Path.Combine(Environment.GetFolderPath(windowsFolder), AppFolder);
            value = env(xdg);
            var root = !string.IsNullOrWhiteSpace(value) && Path.IsPathRooted(value) ? value : Path.Combine(home, unixDefault);
            return Path.Combine(root, AppFolder);
        }

        var config = Pick("REALESTATEOPS_CONFIG_HOME", "XDG_CONFIG_HOME", ".config", Environment.SpecialFolder.ApplicationData);
        var data = Pick("REALESTATEOPS_DATA_HOME", "XDG_DATA_HOME", Path.Combine(".local", "share"), Environment.SpecialFolder.LocalApplicationData);
        var state = Pick("REALESTATEOPS_STATE_HOME", "XDG_STATE_HOME", Path.Combine(".local", "state"), Environment.SpecialFolder.LocalApplicationData);
        var journal = env("REALESTATEOPS_JOURNAL");
        return new OpsPaths(config, data, state, string.IsNullOrWhiteSpace(journal) ? null : journal);
    }
}
