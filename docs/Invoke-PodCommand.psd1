@{
    Synopsis    = 'Runs a command in a pod like kubectl exec, and returns its output and exit code.'
    Description = @'
Invoke-PodCommand runs a command in a container of a pod over the Kubernetes exec API (the WebSocket channel protocol v4.channel.k8s.io that kubectl 1.30+ and client libraries speak) and returns a PodCommandResult: Pod, Container, Command, ExitCode, StdOut, StdErr and Duration. With -Deployment it picks a Ready, running pod of the deployment (the oldest), as kubectl exec deploy/NAME does; without -Container it uses the pod's kubectl.kubernetes.io/default-container, else its first container.

The command is an argument vector, not a command line: it runs through a shell only when it names one (-Command sh, -c, 'pg_isready -h $DB_HOST'), so variables expand in the container from the pod's own environment. Never put a secret in the command: it is journaled and visible in the container's process list. Refer to the pod's environment instead ($DB_PASSWORD in a sh -c script).

A non-zero exit code is written as the result and then as a non-terminating PodCommandFailed error carrying the exit code and the start of stderr; with -IgnoreExitCode only the result says so (for commands whose exit code is an answer, like pg_isready's 0 accepting, 1 rejecting, 2 no response). Refusals have their own ids: PodNotFound, DeploymentNotFound, DeploymentHasNoReadyPod, ContainerNotFound, PodNotRunning, KubeForbidden (RBAC: create on pods/exec), PodCommandTimeout.

Exec reads rather than changes, so Invoke-PodCommand asks no confirmation and takes no -WhatIf; but since it runs in production pods, every run is journaled (Get-OpsJournal -Command Invoke-PodCommand): the pod, the command line and the exit code.

On the sandbox the pods are emulated and run an allow-list of commands only: pg_isready (the real program, against the sandbox's own PostgreSQL when the host is the pod's DB host), env, printenv, hostname, cat /etc/hostname, echo, true, false, sleep, and sh -c with one of them; anything else ends with 127, not found. Variables named like secrets (DB_PASSWORD) read as a mask there. Note that pg_isready answers "accepting connections" even when every connection slot is taken: PostgreSQL still answers its ping. Test-DbConnectionSecret logs in and shows DbTooManyConnections.
'@
    Parameters  = @{
        Pod = 'The pod to run the command in. Binds by property name from Get-KubePod output (its Name).'
        Deployment = 'Run the command in a Ready pod of this deployment instead of a named pod.'
        Command = 'The program and its arguments, as an array. To expand the pod''s environment variables, run a shell: sh, -c, ''pg_isready -h $DB_HOST''.'
        Container = 'The container. Defaults to the pod''s kubectl.kubernetes.io/default-container annotation, else its first container.'
        Timeout = 'How long the command may run before it is abandoned with PodCommandTimeout: seconds or 30s, 2m. The default is 30 seconds. -TimeoutSec is an alias.'
        IgnoreExitCode = 'Do not write a PodCommandFailed error for a non-zero exit code; the result''s ExitCode and Succeeded still say it.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Check the database from inside an application pod'
            Code    = 'Invoke-PodCommand -Deployment api-service -Command sh, -c, ''pg_isready -h $DB_HOST'''
            Remarks = 'The incident runbook''s kubectl exec -it deploy/api-service -n real-estate-ai -- pg_isready -h $DB_HOST, with the exit code in the result.'
        }
        @{
            Title   = 'Read the LLM settings a running llm-service pod has'
            Code    = '(Invoke-PodCommand -Deployment llm-service -Command printenv, LLM_PROVIDER, LLM_RATE_LIMIT_RPM).StdOut'
            Remarks = 'What the pods read at start: after Switch-LlmProvider they show the new provider once restarted.'
        }
        @{
            Title   = 'Run a command in every pod of a deployment'
            Code    = 'Get-KubePod -Selector app=auth-service | Invoke-PodCommand -Command hostname -IgnoreExitCode | Format-Table Pod, ExitCode, StdOut'
            Remarks = 'Pods bind by property name; each run is journaled.'
        }
    )
    Links       = @('Test-DbConnectionSecret', 'Get-PodLog', 'Get-KubePod')
}
