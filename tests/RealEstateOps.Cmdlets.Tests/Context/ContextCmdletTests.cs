using System.Text.Json;
using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Journal;

namespace RealEstateOps.Cmdlets.Tests.Context;

public class ContextCmdletTests
{
    [Fact]
    public void Get_OpsContext_returns_the_builtin_default_as_a_typed_object()
    {
        using var s = new PsSession();
        var r = s.Run("Get-OpsContext");
        var c = Assert.Single(r.Objects<OpsContext>());
        Assert.Equal(("default", true, "real-estate-ai-cluster"), (c.Name, c.IsActive, c.ClusterName));
        Assert.Contains(c.Sources, x => x.Setting == "Namespace" && x.Source == "built-in default");
    }

    [Fact]
    public void Set_then_use_then_get_with_values_from_the_context()
    {
        using var s = new PsSession();
        var r = s.Run("Set-OpsContext -Name staging -Region eu-west-1 -Endpoint @{ s3 = 'http://127.0.0.1:9000' } -PassThru; Use-OpsContext staging; Get-OpsContext");
        Assert.Empty(r.Errors);
        var contexts = r.Objects<OpsContext>().ToList();
        Assert.Equal(2, contexts.Count);
        Assert.Equal("eu-west-1", contexts[1].Region);
        Assert.True(contexts[1].IsActive);
        Assert.Equal("this session (Use-OpsContext)", contexts[1].ActiveSource);
        Assert.True(File.Exists(Path.Combine(s.ContextsFolder, "staging.json")));

        var update = s.Run("Set-OpsContext -Name staging -Clear Region -Namespace other; Get-OpsContext staging");
        var c = Assert.Single(update.Objects<OpsContext>());
        Assert.Equal(("us-east-1", "other", "http://127.0.0.1:9000"), (c.Region, c.Namespace, c.Endpoints["s3"]));
    }

    [Fact]
    public void WhatIf_writes_no_file_and_journals_WhatIf()
    {
        using var s = new PsSession();
        var r = s.Run("Set-OpsContext -Name dry -Region us-west-2 -WhatIf");
        Assert.Empty(r.Errors);
        Assert.False(File.Exists(Path.Combine(s.ContextsFolder, "dry.json")));
        var entry = JsonSerializer.Deserialize<JournalEntry>(File.ReadAllLines(s.JournalFile).Single(), OpsJournalJson.Options)!;
        Assert.Equal((JournalOutcome.WhatIf, "Set-OpsContext", "dry"), (entry.Outcome, entry.Command, entry.Target));
    }

    [Fact]
    public void A_bad_value_is_a_specific_error_and_nothing_is_written()
    {
        using var s = new PsSession();
        s.Run("Set-OpsContext -Name prod -Region us-east-1");
        var before = File.ReadAllText(Path.Combine(s.ContextsFolder, "prod.json"));
        var r = s.Run("Set-OpsContext -Name prod -Region not-a-region -DbPort 5433");
        Assert.Equal("OpsContextValueInvalid", Assert.Single(r.ErrorIds));
        Assert.Equal(before, File.ReadAllText(Path.Combine(s.ContextsFolder, "prod.json")));
        Assert.Equal("OpsContextNameInvalid", Assert.Single(s.Run("Set-OpsContext -Name 'bad name'").ErrorIds));
        Assert.Equal("OpsContextSettingUnknown", Assert.Single(s.Run("Set-OpsContext -Name prod -Clear Colour").ErrorIds));
    }

    [Fact]
    public void Use_of_an_unknown_context_keeps_the_current_one()
    {
        using var s = new PsSession();
        s.Run("Set-OpsContext -Name a -Use");
        var r = s.Run("Use-OpsContext nope; (Get-OpsContext).Name");
        Assert.Equal("OpsContextNotFound", Assert.Single(r.ErrorIds));
        Assert.Equal("a", r.Output.Last().BaseObject);
    }

    [Fact]
    public void A_malformed_active_context_terminates_commands_that_need_it()
    {
        using var s = new PsSession();
        Directory.CreateDirectory(s.ContextsFolder);
        File.WriteAllText(Path.Combine(s.ContextsFolder, "broken.json"), "{ nope");
        s.SetEnv("REALESTATEOPS_CONTEXT", "broken");
        var r = s.Run("Test-DbConnection");
        Assert.Equal("OpsContextInvalid", Assert.Single(r.ErrorIds));
        Assert.Empty(r.Output);
        var stop = s.Run("$ErrorActionPreference = 'Stop'; Test-DbConnection; 'after'");
        var error = Assert.IsAssignableFrom<System.Management.Automation.IContainsErrorRecord>(stop.Terminating);
        Assert.StartsWith("OpsContextInvalid", error.ErrorRecord.FullyQualifiedErrorId);
        Assert.Empty(stop.Output);
        // Listing still works, and names the broken one with its own error.
        var list = s.Run("$ErrorActionPreference = 'Continue'; Get-OpsContext -ListAvailable");
        Assert.Contains("OpsContextInvalid", list.ErrorIds);
        Assert.Contains(list.Objects<OpsContext>(), c => c.Name == "default");
    }

    [Fact]
    public void The_environment_variable_selects_the_context_for_scheduled_scripts()
    {
        using var s = new PsSession();
        s.Run("Set-OpsContext -Name nightly -Namespace batch");
        s.SetEnv("REALESTATEOPS_CONTEXT", "nightly");
        var c = Assert.Single(s.Run("Get-OpsContext").Objects<OpsContext>());
        Assert.Equal(("nightly", "batch", "environment variable REALESTATEOPS_CONTEXT"), (c.Name, c.Namespace, c.ActiveSource));
        Assert.Equal("default", Assert.Single(s.Run("Use-OpsContext default -PassThru").Objects<OpsContext>()).Name);
        Assert.Equal("nightly", Assert.Single(s.Run("Use-OpsContext -Reset; Get-OpsContext").Objects<OpsContext>()).Name);
    }

    [Fact]
    public void Remove_by_pipeline_and_unknown_names_error_per_item()
    {
        using var s = new PsSession();
        s.Run("Set-OpsContext -Name test-1; Set-OpsContext -Name test-2; Set-OpsContext -Name keep");
        var r = s.Run("Get-OpsContext -Name test-* | Remove-OpsContext -Force; Remove-OpsContext -Name ghost, keep -Force; Get-OpsContext -ListAvailable | ForEach-Object Name");
        Assert.Equal("OpsContextNotFound", Assert.Single(r.ErrorIds));
        Assert.Equal(new object[] { "default" }, r.Output.Select(o => o.BaseObject));
    }
}

/// <summary>The journal's JSON options, for reading entries back in tests.</summary>
internal static class OpsJournalJson
{
    public static JsonSerializerOptions Options { get; } = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
}
