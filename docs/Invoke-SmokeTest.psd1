@{
    Synopsis    = 'Runs the smoke tests: the team''s script (exit code and JUnit XML) and built-in checks through the Kubernetes API''s service proxy.'
    Description = @'
Invoke-SmokeTest runs the Deployment runbook's smoke tests and writes one SmokeTestResult per test case or check: Name, Suite, Source (Script or Check), Outcome (Passed, Failed, Skipped), StatusCode, LatencyMs and Message.

-Script runs the team's suite (as the runbook's ./run-smoke-tests.sh; executable, with a #! line) in its own folder, with KUBECONFIG (the context's kubeconfig), SMOKE_NAMESPACE and, with -ScriptJUnitPath, JUNIT_PATH in its environment. Its JUnit XML is read into typed results (testsuites or a lone testsuite, nested suites, failure, error and skipped elements, the variants real producers write); a non-zero exit with no failed case adds a failed result for the script itself.

-CheckFile declares built-in checks (JSON: an array, or an object with "checks"), each with name, service, port (number or name; default the service's first), path, method (GET, HEAD, POST; body for POST), expectedStatus (default 200), optional jsonPath ($.status, items[0].id, $.items.length) with expectedValue, latencyBudgetMs and namespace. Each check is one request to /api/v1/namespaces/{namespace}/services/{service}:{port}/proxy/{path} through the Kubernetes API with the kubeconfig's own credentials, so it works from an operator's machine without an ingress. The API server answers 503 "no endpoints available for service" when no pod of the service is ready.

A failed test or check is a non-terminating SmokeTestFailed error, written after all the results and the report: in a script, -ErrorAction Stop makes the first one throw (and pwsh -File exit non-zero), or test $? after the call. -JUnitPath writes every result as JUnit XML (mode 0600) for CI.
'@
    Parameters  = @{
        Script = 'The team''s smoke test script, e.g. ./run-smoke-tests.sh.'
        ScriptJUnitPath = 'Where the script writes its JUnit XML (given to it as JUNIT_PATH). Without it only the exit code counts.'
        CheckFile = 'A JSON file of built-in checks (see examples/smoke-checks.json).'
        Namespace = 'The namespace of the services; default the context''s Namespace (real-estate-ai in the built-in default).'
        JUnitPath = 'Writes all results as JUnit XML to this file (0600), for CI.'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath, else KUBECONFIG''s first file, else ~/.kube/config.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Run the platform''s checks'
            Code    = 'Invoke-SmokeTest -CheckFile ./smoke-checks.json'
            Remarks = 'Each platform service''s health, and api-service''s property list and search, through the service proxy.'
        }
        @{
            Title   = 'Run the team''s script and keep a JUnit report for CI'
            Code    = 'Invoke-SmokeTest -Script ./run-smoke-tests.sh -ScriptJUnitPath ./script-results.xml -CheckFile ./smoke-checks.json -JUnitPath ./smoke-results.xml'
            Remarks = 'The script''s cases and the checks, all written to smoke-results.xml.'
        }
        @{
            Title   = 'Stop a deployment script when a smoke test fails'
            Code    = @'
try {
    Invoke-SmokeTest -CheckFile ./smoke-checks.json -ErrorAction Stop | Out-Null
    'Smoke tests passed'
}
catch {
    "Smoke tests failed: $($_.Exception.Message)"
    # in a CI script: exit 1
}
'@
            Remarks = 'With -ErrorAction Stop the first failed check throws SmokeTestFailed; a script run with pwsh -File then exits non-zero (exit 1 in the catch).'
        }
    )
    Links       = @('Test-Deployment', 'Send-OpsNotification', 'Get-KubeService')
}
