using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using RealEstateOps.Common;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.S3;

namespace RealEstateOps.Completers;

/// <summary>
/// Completes bucket names: the live list (ListBuckets, with the -Region, -ProfileName and -EndpointUrl
/// already typed, else the active context's), falling back to the context's own buckets when S3 cannot be
/// reached within two seconds. For -Source and -Destination it completes "s3://bucket/".
/// </summary>
public sealed class S3BucketCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var asUri = parameterName is "Source" or "Destination";
        var typed = wordToComplete.Trim('\'', '"');
        if (asUri && typed.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)) typed = typed[5..];
        if (typed.Contains('/')) return Array.Empty<CompletionResult>();
        return Names(fakeBoundParameters).Where(n => n.StartsWith(typed, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal)
            .Select(n => asUri ? $"s3://{n}/" : n)
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }

    private static List<string> Names(IDictionary bound)
    {
        var names = new List<string>();
        ActiveContext context;
        try
        {
            context = OpsSession.LoadContext();
        }
        catch (OpsException)
        {
            return names;
        }
        names.AddRange(new[] { context.Effective.AssetsBucket, context.Effective.BackupsBucket, context.Effective.DrBucket }.OfType<string>());
        try
        {
            var target = AwsResolver.Resolve("s3", new AwsParameters(bound["Region"] as string, bound["ProfileName"] as string, bound["EndpointUrl"] as string), context);
            using var client = new S3Client(target, new Engine.Http.RetryPolicy { MaxAttempts = 1 });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            names.AddRange(client.ListBucketNamesAsync(timeout.Token).GetAwaiter().GetResult());
        }
        catch (Exception ex) when (ex is OpsException or OperationCanceledException or HttpRequestException or TimeoutException)
        {
            // Completion never fails: without S3, the context's buckets are offered.
        }
        return names;
    }
}
