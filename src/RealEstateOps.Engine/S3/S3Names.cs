using System.Text;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.S3;

/// <summary>S3's rules for bucket names and keys, checked before anything is sent.</summary>
public static class S3Names
{
    public static bool IsValidBucket(string name) =>
        name.Length is >= 3 and <= 63 && name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-') &&
        char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]) && !name.Contains("..", StringComparison.Ordinal) &&
        !System.Net.IPAddress.TryParse(name, out _) && !name.StartsWith("xn--", StringComparison.Ordinal) &&
        !name.EndsWith("-s3alias", StringComparison.Ordinal);

    public static void CheckBucket(string? name, string parameterName = "Bucket")
    {
        if (string.IsNullOrEmpty(name) || !IsValidBucket(name))
            throw new OpsException("S3BucketNameInvalid", OpsErrorCategory.InvalidArgument,
                $"'{name}' (-{parameterName}) is not a valid S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.",
                name);
    }

    public static void CheckKey(string? key, string parameterName = "Key")
    {
        if (string.IsNullOrEmpty(key) || Encoding.UTF8.GetByteCount(key) > 1024 || key.Any(c => c < 0x20 && c != '\t'))
            throw new OpsException("S3KeyInvalid", OpsErrorCategory.InvalidArgument,
                $"'{key}' (-{parameterName}) is not a valid S3 key: 1 to 1024 bytes of UTF-8 without control characters.", key);
    }
}
