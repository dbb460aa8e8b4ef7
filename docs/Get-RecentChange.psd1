@{
    Synopsis    = 'The changes in a window, newest first: deployments'' new revisions and this module''s journal entries.'
    Description = @'
Get-RecentChange answers the runbook's "check recent deployments or changes": each deployment's revisions created in the window (kubectl rollout history: revision, images, change-cause) Argo CD's syncs into the namespace (each application's history entries in the window: id, tag or revision, automated or who; when no Argo CD server or token is configured a warning says so and they are left out) and the journal's entries of changes made or failed in it (who, which command, on what), newest first. Get-AlertInvestigation includes the same changes.
'@
    Parameters  = @{
        Since = 'How far back the window reaches: 30m, 2h, ... The default is 1 hour.'
        Namespace = 'The namespace of the deployments. Defaults to the context''s Namespace.'
        Service = 'Only the rollouts of these deployments (journal entries are all listed).'
        Kind = 'Rollout, ArgoCdSync or Journal only; all three by default.'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'What changed in the last two hours'
            Code    = 'Get-RecentChange -Since 2h'
            Remarks = 'Rollouts and journaled changes, newest first.'
        }
        @{
            Title   = 'The rollouts of one service'
            Code    = 'Get-RecentChange api-service -Kind Rollout -Since 1d'
            Remarks = 'api-service''s revisions of the last day, with their images.'
        }
    )
    Links       = @('Get-AlertInvestigation', 'Get-RolloutHistory', 'Get-OpsJournal', 'Undo-Deployment')
}
