using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.SmokeTest;

/// <summary>
/// JUnit XML, read and written. Reading tolerates what real producers write: a <c>testsuites</c> root or a lone
/// <c>testsuite</c>, nested suites, cases with <c>failure</c>, <c>error</c> or <c>skipped</c> children (message attribute
/// or text), <c>status="skipped"</c>/<c>"disabled"</c>, times with a decimal comma or missing, and a namespace on the
/// elements. Writing gives one <c>testsuites</c> root with one suite per source (the Ant/Jenkins schema CI servers read).
/// </summary>
public static class JUnitReport
{
    public static IReadOnlyList<SmokeTestResult> Parse(string xml, string source)
    {
        XDocument doc;
        try { doc = XDocument.Parse(xml, LoadOptions.None); }
        catch (XmlException ex)
        {
            throw new OpsException("SmokeTestReportInvalid", OpsErrorCategory.InvalidData, $"The JUnit report '{source}' is not XML: {ex.Message}", source);
        }
        var results = new List<SmokeTestResult>();
        foreach (var testcase in doc.Descendants().Where(e => e.Name.LocalName == "testcase"))
        {
            var suite = testcase.Ancestors().FirstOrDefault(a => a.Name.LocalName == "testsuite")?.Attribute("name")?.Value;
            var failure = Child(testcase, "failure") ?? Child(testcase, "error");
            var skipped = Child(testcase, "skipped");
            var status = testcase.Attribute("status")?.Value?.ToLowerInvariant();
            var outcome = failure is not null ? SmokeTestOutcome.Failed
                : skipped is not null || status is "skipped" or "disabled" or "notrun" ? SmokeTestOutcome.Skipped
                : status is "failed" or "error" ? SmokeTestOutcome.Failed
                : SmokeTestOutcome.Passed;
            var detail = failure ?? skipped;
            var message = detail is null ? null
                : detail.Attribute("message")?.Value is { Length: > 0 } m ? m
                : detail.Value.Trim() is { Length: > 0 } text ? Shorten(text)
                : detail.Name.LocalName;
            var name = testcase.Attribute("name")?.Value ?? "(unnamed)";
            var classname = testcase.Attribute("classname")?.Value;
            results.Add(new SmokeTestResult
            {
                Name = name,
                Suite = suite ?? classname,
                Source = SmokeTestSource.Script,
                Outcome = outcome,
                LatencyMs = Seconds(testcase.Attribute("time")?.Value) is { } s ? Math.Round(s * 1000, 1) : null,
                Message = message,
            });
        }
        return results;
    }

    public static string Write(IReadOnlyList<SmokeTestResult> results, DateTimeOffset timestamp, string name = "smoke-tests")
    {
        var suites = results.GroupBy(r => r.Source == SmokeTestSource.Check ? "checks" : r.Suite ?? "script").ToList();
        var root = new XElement("testsuites",
            new XAttribute("name", name),
            new XAttribute("tests", results.Count),
            new XAttribute("failures", results.Count(r => r.Outcome == SmokeTestOutcome.Failed)),
            new XAttribute("errors", 0),
            new XAttribute("skipped", results.Count(r => r.Outcome == SmokeTestOutcome.Skipped)),
            new XAttribute("time", Time(results.Sum(r => r.LatencyMs ?? 0))));
        foreach (var group in suites)
        {
            var suite = new XElement("testsuite",
                new XAttribute("name", group.Key),
                new XAttribute("tests", group.Count()),
                new XAttribute("failures", group.Count(r => r.Outcome == SmokeTestOutcome.Failed)),
                new XAttribute("errors", 0),
                new XAttribute("skipped", group.Count(r => r.Outcome == SmokeTestOutcome.Skipped)),
                new XAttribute("time", Time(group.Sum(r => r.LatencyMs ?? 0))),
                new XAttribute("timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)));
            foreach (var r in group)
            {
                var testcase = new XElement("testcase", new XAttribute("name", r.Name), new XAttribute("classname", group.Key), new XAttribute("time", Time(r.LatencyMs ?? 0)));
                if (r.Outcome == SmokeTestOutcome.Failed)
                    testcase.Add(new XElement("failure", new XAttribute("message", r.Message ?? "failed"), new XAttribute("type", r.StatusCode is { } c ? $"HTTP {c}" : "failure"), r.Message ?? ""));
                else if (r.Outcome == SmokeTestOutcome.Skipped)
                    testcase.Add(new XElement("skipped", r.Message is null ? null : new XAttribute("message", r.Message)));
                suite.Add(testcase);
            }
            root.Add(suite);
        }
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), root).Declaration + "\n" + root.ToString() + "\n";
    }

    private static XElement? Child(XElement e, string name) => e.Elements().FirstOrDefault(x => x.Name.LocalName == name);

    private static double? Seconds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        // "0,5" (a decimal comma, as some locales write) or "1,234.5" (a thousands separator).
        t = t.Contains('.', StringComparison.Ordinal) ? t.Replace(",", "", StringComparison.Ordinal) : t.Replace(',', '.');
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : null;
    }

    private static string Time(double ms) => (ms / 1000).ToString("0.000", CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length > 500 ? text[..500] + "..." : text;
}
