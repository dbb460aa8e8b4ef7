@{
    Synopsis    = 'The High Error Rate response''s assessment in one command: which services spiked and since when, recent changes, error lines, pressure and the runbook''s suggested action.'
    Description = @'
Get-AlertInvestigation does the Monitoring runbook's High Error Rate steps 1 to 4 and writes one object with each piece:

- Spikes: the services whose error rate (HighErrorRate; p95 latency for HighLatencyP95) went above the threshold in the window, from one Prometheus range query of the alert rule's own expression: since when (the start of the latest run above it), the peak and the latest value, and whether it is ongoing.
- Rollouts: the deployments' revisions created in the window (kubectl rollout history), newest first, marking those of spiked services; MostRecentChange is the newest rollout of a spiked service, else the newest rollout or Argo CD sync, else the newest journal entry.
- ArgoCdSyncs: what Argo CD deployed into the namespace in the window (each application's history entries: id, tag or revision, automated or who), newest first; ArgoCd says how many were read, or why none could be (no Argo CD server or token: see Get-ArgoApplication), and nothing is made up.
- JournalEntries: this module's journal entries in the window (changes made or failed).
- ErrorLines: the spiked services' pods' ERROR/FATAL/exception lines in the window, grouped once numbers and ids are set aside, the -Top most frequent per service with a count, the pods and an example.
- Pressure: each pod's CPU and memory against its requests and each node's against its capacity (Prometheus), with the nodes' state (Kubernetes); pods above 90% of a request and nodes above 85% or not Ready are under pressure.
- Suggestion: the runbook's "Take Action": a rollout of a spiked service in the window means roll it back (the Undo-Deployment command to run); else pressure means scale; else an external dependency is the likely cause (check and fall back).

A piece that cannot be read (no cluster, logs unavailable) is listed in Gaps with why, and a warning, while the others are still read; Prometheus itself is required. Each piece also has its own command: Get-ServiceErrorSpike, Get-RecentChange, Get-PodLog -Pattern ERROR, Get-ServiceHealth, Get-NodeUsage.
'@
    Parameters  = @{
        Alert = 'The alert to investigate: HighErrorRate (default) or HighLatencyP95.'
        Since = 'How far back the window reaches: 30m, 2h, ... The default is 1 hour.'
        Namespace = 'The namespace of the services. Defaults to the context''s Namespace (real-estate-ai in the built-in default).'
        Service = 'Only these services (Deployment names); all of the namespace by default.'
        Threshold = 'In the alert''s unit: percent of 5xx answers (HighErrorRate) or p95 milliseconds (HighLatencyP95). Defaults to the context''s ErrorRateThresholdPercent or LatencyP95ThresholdMs (5 and 1000 in the built-in default, the alert rules'' own).'
        Top = 'How many error patterns per service (default 5).'
        PrometheusUrl = 'Prometheus'' URL (http://host:9090). Defaults to the context''s ServiceUrls[''prometheus''], which Start-OpsSandbox sets to the sandbox''s Prometheus.'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Investigate a High Error Rate alert'
            Code    = 'Get-AlertInvestigation -Alert HighErrorRate -Since 30m | Format-List'
            Remarks = 'Which services spiked, the most recent change, the error lines, the pressure and what to do.'
        }
        @{
            Title   = 'Read the suggested action and run it'
            Code    = '(Get-AlertInvestigation).Suggestion'
            Remarks = 'RollBack with the Undo-Deployment command when a spiked service was rolled out in the window; Scale or FallBack otherwise; None when nothing spiked.'
        }
    )
    Links       = @('Get-ServiceErrorSpike', 'Get-RecentChange', 'Get-ServiceHealth', 'Get-PodLog', 'Undo-Deployment', 'New-AlertSilence')
}
