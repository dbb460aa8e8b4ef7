#!/bin/sh
# The team's smoke test suite (the Deployment runbook's ./run-smoke-tests.sh): each platform service's /health through the
# Kubernetes API's service proxy with kubectl (KUBECONFIG and SMOKE_NAMESPACE as Invoke-SmokeTest sets them), JUnit XML
# written to $JUNIT_PATH (or ./smoke-tests.xml), exit code 1 when a test failed.
ns="${SMOKE_NAMESPACE:-real-estate-ai}"
out="${JUNIT_PATH:-./smoke-tests.xml}"
cases=""
tests=0
failures=0
for service in api-service auth-service llm-service chatbot-service proposal-service; do
  tests=$((tests + 1))
  start=$(date +%s%N 2>/dev/null || echo 0)
  if answer=$(kubectl get --raw "/api/v1/namespaces/$ns/services/$service:80/proxy/health" --request-timeout=10s 2>&1) && echo "$answer" | grep -q '"status":"ok"'; then
    end=$(date +%s%N 2>/dev/null || echo 0)
    cases="$cases    <testcase classname=\"health\" name=\"$service health\" time=\"$(( (end - start) / 1000000 ))e-3\"/>
"
  else
    failures=$((failures + 1))
    message=$(printf '%s' "$answer" | head -c 200 | tr -d '"<>&' | tr '\n' ' ')
    cases="$cases    <testcase classname=\"health\" name=\"$service health\"><failure message=\"$message\"/></testcase>
"
  fi
done
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo "<testsuites tests=\"$tests\" failures=\"$failures\">"
  echo "  <testsuite name=\"health\" tests=\"$tests\" failures=\"$failures\" errors=\"0\" skipped=\"0\">"
  printf '%s' "$cases"
  echo '  </testsuite>'
  echo '</testsuites>'
} > "$out"
[ "$failures" -eq 0 ]
