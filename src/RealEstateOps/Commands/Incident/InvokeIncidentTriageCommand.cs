using System.Management.Automation;
using RealEstateOps.Commands.Postgres;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.ArgoCd;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Incident;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Langfuse;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Prometheus;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Incident;

/// <summary>
/// The Incident Response runbook's investigation steps for one of its common incidents (DatabaseConnection, LlmDegradation,
/// HighErrorRate), each read as evidence: the RDS instance's status, pg_isready from inside an application pod, a login with the
/// app's secret, the DB log's errors, connections against max_connections, security groups and subnets; the LLM service's
/// configuration, error lines and Langfuse's error rate and latency; the recent rollouts and Argo CD syncs. It ends with the
/// matching resolution step, named as the cmdlet to run. With an incident (-Incident, else the current one) each piece of
/// evidence and the resolution are attached to it as Finding notes (the one change this command makes; -WhatIf attaches nothing).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "IncidentTriage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(IncidentTriage))]
public sealed class InvokeIncidentTriageCommand : AwsCommandBase
{
    private readonly OwnedClient<RdsClient> _rds = new();
    private readonly OwnedClient<Ec2Client> _ec2 = new();
    private readonly OwnedClient<KubeClient> _kube = new();
    private readonly OwnedClient<LangfuseClient> _langfuse = new();
    private readonly OwnedClient<PromClient> _prometheus = new();
    private readonly OwnedClient<ArgoClient> _argo = new();
    private readonly OwnedClient<IncidentStore> _store = new();

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateSet("DatabaseConnection", "LlmDegradation", "HighErrorRate")]
    public string Symptom { get; set; } = "";

    /// <summary>The incident to attach the evidence to (default: the current one; none when there is none).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("IncidentId", "Id")]
    [ArgumentCompleter(typeof(IncidentIdCompleter))]
    public string? Incident { get; set; }

    /// <summary>Do not attach the evidence to any incident, not even the current one.</summary>
    [Parameter] public SwitchParameter NoAttach { get; set; }

    [Parameter]
    [Alias("DBInstanceIdentifier")]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string? DbInstanceId { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>The deployment whose pod runs pg_isready.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string AppDeployment { get; set; } = "api-service";

    /// <summary>The LLM service's deployment.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string LlmDeployment { get; set; } = "llm-service";

    /// <summary>The app's database secret.</summary>
    [Parameter] public string DbSecretName { get; set; } = "db-credentials";

    /// <summary>How far back logs, metrics and changes are read.</summary>
    [Parameter]
    [Duration]
    public TimeSpan Since { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The database login for the connection count (default: the context's, as Get-DbActivity).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter] public string? Kubeconfig { get; set; }
    [Parameter] public string? KubeContext { get; set; }
    [Parameter] public string? PrometheusUrl { get; set; }
    [Parameter] public string? LangfuseUrl { get; set; }

    protected override void ProcessRecordCore()
    {
        var symptom = Enum.Parse<TriageSymptom>(Symptom, ignoreCase: true);
        var ns = Setting(Namespace, "Namespace", c => c.Namespace)?.Value ?? "default";
        var instance = symptom == TriageSymptom.DatabaseConnection
            ? Setting(DbInstanceId, "DbInstanceId", c => c.DbInstanceId)?.Value
              ?? throw new OpsException("DbInstanceIdNotSet", OpsErrorCategory.InvalidArgument,
                  "The DatabaseConnection triage needs the DB instance: give -DbInstanceId, or set DbInstanceId in the context (Set-OpsContext -DbInstanceId).", null, isFatal: true)
            : null;
        if (instance is not null) RdsIdentifiers.ValidateInstanceId(instance, "DbInstanceId");
        var incidentId = NoAttach ? null : string.IsNullOrWhiteSpace(Incident) ? CurrentIncidentId : Incident.Trim();

        var sources = Sources(symptom, ns);
        var request = new TriageRequest
        {
            Symptom = symptom, Namespace = ns, DbInstanceId = instance, AppDeployment = AppDeployment, LlmDeployment = LlmDeployment,
            DbSecretName = DbSecretName, Since = Since,
        };
        var triage = Run(ct => new IncidentTriager(sources).RunAsync(request, Listener, ct));
        if (incidentId is null)
        {
            WriteVerbose("No incident given or current: the evidence is not attached to one (New-Incident or Use-Incident makes one current).");
            WriteObject(triage);
            return;
        }
        WriteObject(triage.WithNotesAttached(incidentId, Attach(incidentId, triage)));
    }

    /// <summary>Each piece of evidence and the resolution as Finding notes of the incident, in one change; 0 when declined or failed.</summary>
    private int Attach(string incidentId, IncidentTriage triage)
    {
        IncidentOperations incidents;
        try
        {
            incidents = new IncidentOperations(_store.Get(OpenIncidentStore));
        }
        catch (OpsException ex) when (!ex.IsFatal || ex.ErrorId == "IncidentStoreNotConfigured")
        {
            WriteOpsError(new OpsException(ex.ErrorId, ex.Category, $"The triage ran, but its evidence could not be attached to {incidentId}: {ex.Message}", incidentId));
            return 0;
        }
        var texts = triage.Evidence.Select(e => e.NoteText(triage.Symptom))
            .Append($"Triage {triage.Symptom}: resolution {triage.Resolution.Cause} - {triage.Resolution.Reason}" + (triage.Resolution.Command is { } c ? $" Run: {c}" : "")).ToList();
        var attached = Change(incidentId, $"Attach {texts.Count} triage findings ({triage.Symptom})", async ct =>
        {
            foreach (var text in texts) await incidents.AddNoteAsync(incidentId, IncidentNoteKind.Finding, text, Environment.UserName, ct, Environment.MachineName).ConfigureAwait(false);
            return texts.Count;
        });
        return attached;
    }

    /// <summary>The sources the symptom reads, each opened here (settings to verbose); one that cannot be opened is left out with why.</summary>
    private TriageSources Sources(TriageSymptom symptom, string ns)
    {
        var unavailable = new Dictionary<string, string>();
        T? Try<T>(string name, Func<T> open) where T : class
        {
            try { return open(); }
            catch (OpsException ex) when (!ex.IsFatal || ex.Category is OpsErrorCategory.InvalidArgument or OpsErrorCategory.NotInstalled or OpsErrorCategory.InvalidOperation)
            {
                unavailable[name] = $"{ex.ErrorId}: {ex.Message}";
                WriteVerbose($"{name} left out of the triage: {ex.ErrorId}: {ex.Message}");
                return null;
            }
        }
        var db = symptom == TriageSymptom.DatabaseConnection;
        var kube = Try("Kubernetes", () => _kube.Get(() => OpenKube(Kubeconfig, KubeContext, ns)));
        var rds = db ? Try("RDS", () => OpenRds(_rds)) : null;
        var ec2 = db ? Try("EC2", () => OpenEc2(_ec2)) : null;
        var database = db ? Try("PostgreSQL", () => DbConnectionVerbose.Resolve(this, ActiveContext, new DbConnectionParameters
        {
            CredentialUser = Credential?.UserName, Password = Credential?.GetNetworkCredential().Password, Timeout = TimeSpan.FromSeconds(5),
        })) : null;
        var langfuse = symptom == TriageSymptom.LlmDegradation ? Try("Langfuse", () => new LangfuseQueries(_langfuse.Get(() => OpenLangfuse(LangfuseUrl)))) : null;
        var prometheus = symptom == TriageSymptom.HighErrorRate ? Try("Prometheus", () => new PromQueries(_prometheus.Get(() => OpenPrometheus(PrometheusUrl)))) : null;
        var argo = ArgoQueriesOrReason(_argo, out var argoWhy);
        if (argoWhy is not null) unavailable["Argo CD"] = argoWhy;
        return new TriageSources
        {
            Rds = rds, Ec2 = ec2, Kube = kube, Database = database, Langfuse = langfuse, Prometheus = prometheus, Argo = argo, Unavailable = unavailable,
        };
    }

    protected override void ReleaseResources()
    {
        _rds.Release();
        _ec2.Release();
        _kube.Release();
        _langfuse.Release();
        _prometheus.Release();
        _argo.Release();
        _store.Release();
    }
}
