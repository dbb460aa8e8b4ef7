using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Incident;

namespace RealEstateOps.Engine.Tests.Incident;

/// <summary>The triage's own rules: every step of a symptom is reported even when its source is missing, and bad input is refused before any read.</summary>
public sealed class IncidentTriagerTests
{
    [Theory]
    [InlineData(TriageSymptom.DatabaseConnection)]
    [InlineData(TriageSymptom.LlmDegradation)]
    [InlineData(TriageSymptom.HighErrorRate)]
    public async Task Without_sources_every_step_is_skipped_with_why_and_no_resolution_is_made_up(TriageSymptom symptom)
    {
        var sources = new TriageSources { Unavailable = new Dictionary<string, string> { ["Kubernetes"] = "KubeconfigNotFound: no kubeconfig" } };
        var triage = await new IncidentTriager(sources).RunAsync(new TriageRequest { Symptom = symptom, Namespace = "real-estate-ai", DbInstanceId = "real-estate-ai-db" }, null, CancellationToken.None);

        Assert.Equal(IncidentTriager.Steps(symptom), triage.Evidence.Select(e => e.Step));
        Assert.All(triage.Evidence, e => Assert.Equal(TriageStatus.Skipped, e.Status));
        Assert.Contains(triage.Evidence, e => e.Source == "Kubernetes" && e.Summary.Contains("KubeconfigNotFound"));
        Assert.Equal("None", triage.Resolution.Cause);
        Assert.Null(triage.Resolution.Command);
        Assert.Equal(triage.Evidence.Count, triage.Gaps.Count);
        Assert.Equal(0, triage.Problems);
    }

    [Fact]
    public async Task A_database_triage_without_an_instance_is_refused_before_any_step()
    {
        var ex = await Assert.ThrowsAsync<OpsException>(() => new IncidentTriager(new TriageSources())
            .RunAsync(new TriageRequest { Symptom = TriageSymptom.DatabaseConnection, Namespace = "real-estate-ai" }, null, CancellationToken.None));
        Assert.Equal("DbInstanceIdNotSet", ex.ErrorId);
    }

    [Fact]
    public void Evidence_becomes_a_note_that_names_the_symptom_step_and_status()
    {
        var evidence = new TriageEvidence { Step = "Connections", Source = "PostgreSQL", Status = TriageStatus.Problem, Summary = "197 of 200 in use." };
        Assert.Equal("Triage DatabaseConnection / Connections (PostgreSQL): Problem - 197 of 200 in use.", evidence.NoteText(TriageSymptom.DatabaseConnection));
    }
}
