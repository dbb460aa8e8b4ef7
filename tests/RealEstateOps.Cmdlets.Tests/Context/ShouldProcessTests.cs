using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Journal;

namespace RealEstateOps.Cmdlets.Tests.Context;

public class ShouldProcessTests
{
    [Fact]
    public void Force_skips_the_prompt_but_never_WhatIf()
    {
        using var s = new PsSession();
        s.Run("Set-OpsContext -Name a; Set-OpsContext -Name b");
        // -Force with -WhatIf: nothing removed, journaled as WhatIf.
        var whatIf = s.Run("$ConfirmPreference = 'Low'; Remove-OpsContext a -Force -WhatIf");
        Assert.Empty(whatIf.Errors);
        Assert.True(File.Exists(Path.Combine(s.ContextsFolder, "a.json")));
        // -Force with confirmation wanted for everything: removed without a prompt (the hosted session cannot prompt).
        var forced = s.Run("$ConfirmPreference = 'Low'; Remove-OpsContext a -Force");
        Assert.Empty(forced.Errors);
        Assert.False(File.Exists(Path.Combine(s.ContextsFolder, "a.json")));
        // Without -Force the prompt is asked, which a non-interactive host refuses: nothing removed.
        var prompted = s.Run("$ConfirmPreference = 'Low'; Remove-OpsContext b");
        Assert.NotNull(prompted.Terminating ?? (object?)prompted.Errors.FirstOrDefault());
        Assert.True(File.Exists(Path.Combine(s.ContextsFolder, "b.json")));
        var outcomes = s.Run("Get-OpsJournal -Command Remove-OpsContext").Objects<JournalEntry>().Select(e => e.Outcome).ToList();
        Assert.Equal(new[] { JournalOutcome.WhatIf, JournalOutcome.Succeeded }, outcomes.Take(2));
    }

    [Fact]
    public void Context_names_complete_from_the_stored_contexts()
    {
        using var s = new PsSession();
        s.Run("Set-OpsContext -Name staging; Set-OpsContext -Name sandbox-2");
        var r = s.Run("(TabExpansion2 -inputScript 'Use-OpsContext s' -cursorColumn 16).CompletionMatches.CompletionText");
        Assert.Equal(new object[] { "sandbox-2", "staging" }, r.Output.Select(o => o.BaseObject));
        var settings = s.Run("(TabExpansion2 -inputScript 'Set-OpsContext x -Clear Db' -cursorColumn 26).CompletionMatches.CompletionText");
        Assert.Contains("DbHost", settings.Output.Select(o => (string)o.BaseObject));
    }
}
