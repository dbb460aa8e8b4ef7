using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Tests.Support;

namespace RealEstateOps.Engine.Tests.Context;

public class ContextStoreTests
{
    [Fact]
    public void Default_context_carries_the_runbooks_names_without_any_file()
    {
        using var dir = new TempDir();
        var store = new ContextStore(dir.Paths);
        var c = store.LoadEffective("default");
        Assert.Equal("us-east-1", c.Region);
        Assert.Equal("real-estate-ai-cluster", c.ClusterName);
        Assert.Equal("standard-nodes", c.NodeGroup);
        Assert.Equal("real-estate-ai", c.Namespace);
        Assert.Equal("real-estate-ai-db", c.DbInstanceId);
        Assert.Equal(("real-estate-ai-assets", "real-estate-ai-backups", "real-estate-ai-assets-dr", "us-west-2"),
            (c.AssetsBucket, c.BackupsBucket, c.DrBucket, c.DrRegion));
        Assert.False(Directory.Exists(dir.Paths.ContextsFolder));
    }

    [Fact]
    public void Saved_context_keeps_only_what_was_set_and_inherits_the_rest()
    {
        using var dir = new TempDir();
        var store = new ContextStore(dir.Paths);
        var ctx = new OpsContext { Name = "prod", Region = "eu-west-1", DbHost = "db.internal" };
        ctx.Endpoints["s3"] = "http://127.0.0.1:9000";
        store.Save(ctx);

        var stored = store.LoadStored("prod");
        Assert.Null(stored.ClusterName);
        var effective = store.LoadEffective("prod");
        Assert.Equal("eu-west-1", effective.Region);
        Assert.Equal("real-estate-ai-cluster", effective.ClusterName);
        Assert.Equal("http://127.0.0.1:9000", effective.Endpoints["S3"]);

        var sources = ContextSettings.Describe(stored, OpsContext.BuiltInDefault()).ToDictionary(d => d.Setting, d => d.Source);
        Assert.Equal("context 'prod'", sources["Region"]);
        Assert.Equal("built-in default", sources["ClusterName"]);
        Assert.Equal("context 'prod'", sources["Endpoints.s3"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-leading")]
    [InlineData("has space")]
    [InlineData("../escape")]
    public void Invalid_names_are_rejected(string name)
    {
        using var dir = new TempDir();
        var ex = Assert.Throws<OpsException>(() => new ContextStore(dir.Paths).Save(new OpsContext { Name = name }));
        Assert.Equal("OpsContextNameInvalid", ex.ErrorId);
    }

    [Fact]
    public void An_invalid_value_writes_nothing_and_keeps_the_old_file()
    {
        using var dir = new TempDir();
        var store = new ContextStore(dir.Paths);
        store.Save(new OpsContext { Name = "prod", Region = "us-east-1" });
        var before = File.ReadAllText(store.PathOf("prod"));

        var bad = store.LoadStored("prod");
        bad.Region = "mars-north-1x";
        Assert.Equal("OpsContextValueInvalid", Assert.Throws<OpsException>(() => store.Save(bad)).ErrorId);
        bad.Region = "us-east-1";
        bad.DbPort = 70000;
        Assert.Equal("OpsContextValueInvalid", Assert.Throws<OpsException>(() => store.Save(bad)).ErrorId);
        bad.DbPort = null;
        bad.Endpoints["rds"] = "not a url";
        Assert.Equal("OpsContextValueInvalid", Assert.Throws<OpsException>(() => store.Save(bad)).ErrorId);

        Assert.Equal(before, File.ReadAllText(store.PathOf("prod")));
        Assert.Single(Directory.GetFiles(dir.Paths.ContextsFolder)); // no temporary file left behind
    }

    [Fact]
    public void A_malformed_file_is_a_fatal_specific_error()
    {
        using var dir = new TempDir();
        var store = new ContextStore(dir.Paths);
        Directory.CreateDirectory(dir.Paths.ContextsFolder);
        File.WriteAllText(store.PathOf("broken"), "{ \"Region\": ");
        var ex = Assert.Throws<OpsException>(() => store.LoadStored("broken"));
        Assert.Equal("OpsContextInvalid", ex.ErrorId);
        Assert.True(ex.IsFatal);
        Assert.Contains("broken.json", ex.Message);
    }

    [Fact]
    public void A_stored_bad_value_is_reported_as_invalid_on_load()
    {
        using var dir = new TempDir();
        var store = new ContextStore(dir.Paths);
        Directory.CreateDirectory(dir.Paths.ContextsFolder);
        File.WriteAllText(store.PathOf("odd"), "{ \"DbPort\": 0 }");
        Assert.Equal("OpsContextValueInvalid", Assert.Throws<OpsException>(() => store.LoadStored("odd")).ErrorId);
    }

    [Fact]
    public void Unknown_context_is_not_found_and_lists_known_ones()
    {
        using var dir = new TempDir();
        var store = new ContextStore(dir.Paths);
        store.Save(new OpsContext { Name = "staging" });
        var ex = Assert.Throws<OpsException>(() => store.LoadStored("nope"));
        Assert.Equal("OpsContextNotFound", ex.ErrorId);
        Assert.Contains("staging", ex.Message);
        Assert.Equal("OpsContextNotFound", Assert.Throws<OpsException>(() => store.Remove("nope")).ErrorId);
    }

    [Fact]
    public void Active_context_prefers_session_then_environment_then_default()
    {
        var env = new Dictionary<string, string?> { ["REALESTATEOPS_CONTEXT"] = "from-env" };
        Assert.Equal(("mine", "this session (Use-OpsContext)"), Tuple(ContextSelector.ActiveName("mine", k => env.GetValueOrDefault(k))));
        Assert.Equal("from-env", ContextSelector.ActiveName(null, k => env.GetValueOrDefault(k)).Value);
        Assert.Equal(("default", "built-in default"), Tuple(ContextSelector.ActiveName(null, _ => null)));

        static (string, string) Tuple(Resolved<string> r) => (r.Value, r.Source);
    }

    [Fact]
    public void A_parameter_wins_over_the_context_and_each_value_says_where_it_came_from()
    {
        var stored = new OpsContext { Name = "ops", Namespace = "ns-from-context" };
        var active = new ActiveContext(new("ops", "test"), stored, ContextSettings.Merge(stored, OpsContext.BuiltInDefault()));
        Assert.Equal(new Resolved<string>("explicit", "parameter -Namespace"), active.Resolve("explicit", "Namespace", c => c.Namespace));
        Assert.Equal(new Resolved<string>("ns-from-context", "context 'ops'"), active.Resolve(null, "Namespace", c => c.Namespace));
        Assert.Equal(new Resolved<string>("standard-nodes", "built-in default"), active.Resolve(null, "NodeGroup", c => c.NodeGroup));
        Assert.Equal(new Resolved<int>(5432, "built-in default"), active.Resolve((int?)null, "DbPort", c => c.DbPort));
        Assert.Null(active.Resolve(null, "DbHost", c => c.DbHost));
    }

    [Fact]
    public void Clear_unsets_a_setting_and_rejects_unknown_names()
    {
        var c = new OpsContext { Name = "x", Region = "us-east-2" };
        c.Endpoints["s3"] = "http://a";
        ContextSettings.Clear(c, "region");
        ContextSettings.Clear(c, "Endpoints");
        Assert.Null(c.Region);
        Assert.Empty(c.Endpoints);
        Assert.Throws<ArgumentException>(() => ContextSettings.Clear(c, "Colour"));
    }

    [Fact]
    public void Contexts_are_written_owner_only_in_owner_only_folders()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDir();
        var store = new ContextStore(dir.Paths);
        store.Save(new OpsContext { Name = "prod", DbHost = "db.example.com", DbPassFile = "/home/ops/.pgpass" });
        store.Save(new OpsContext { Name = "prod", DbHost = "db2.example.com" }); // a replaced file keeps the mode
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.PathOf("prod")));
        Assert.Equal(FileUtil.OwnerOnlyFolder, File.GetUnixFileMode(dir.Paths.ContextsFolder));
        Assert.Equal(FileUtil.OwnerOnlyFolder, File.GetUnixFileMode(dir.Paths.ConfigHome));
    }
}
