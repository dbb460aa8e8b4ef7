using System.Security.Cryptography;

namespace RealEstateOps.Sandbox.S3;

/// <summary>The checksums S3 accepts and reports (x-amz-checksum-*), as base64 of the big-endian value.</summary>
public static class S3Checksums
{
    public static readonly string[] Algorithms = { "CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256" };

    private static readonly uint[] Crc32Table = Table32(0xEDB88320u);
    private static readonly uint[] Crc32CTable = Table32(0x82F63B78u);
    private static readonly ulong[] Crc64Table = Table64(0x9A6C9329AC4BC9B5ul);

    public static string HeaderOf(string algorithm) => "x-amz-checksum-" + algorithm.ToLowerInvariant();

    public static bool IsKnown(string algorithm) => Algorithms.Contains(algorithm.ToUpperInvariant());

    public static string Compute(string algorithm, ReadOnlySpan<byte> data) => algorithm.ToUpperInvariant() switch
    {
        "CRC32" => Base64(Crc32(data, Crc32Table)),
        "CRC32C" => Base64(Crc32(data, Crc32CTable)),
        "CRC64NVME" => Base64(Crc64(data)),
        "SHA1" => Convert.ToBase64String(SHA1.HashData(data)),
        "SHA256" => Convert.ToBase64String(SHA256.HashData(data)),
        _ => throw new S3Exception(400, "InvalidRequest", $"Value for x-amz-checksum-algorithm header is invalid: {algorithm}."),
    };

    public static string Md5Hex(ReadOnlySpan<byte> data) => Convert.ToHexString(MD5.HashData(data)).ToLowerInvariant();

    private static string Base64(uint v) => Convert.ToBase64String(new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v });

    private static string Base64(ulong v)
    {
        var b = new byte[8];
        for (var i = 0; i < 8; i++) b[i] = (byte)(v >> (56 - 8 * i));
        return Convert.ToBase64String(b);
    }

    private static uint Crc32(ReadOnlySpan<byte> data, uint[] table)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    private static ulong Crc64(ReadOnlySpan<byte> data)
    {
        var crc = ulong.MaxValue;
        foreach (var b in data) crc = Crc64Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ ulong.MaxValue;
    }

    private static uint[] Table32(uint poly)
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? poly ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }

    private static ulong[] Table64(ulong poly)
    {
        var t = new ulong[256];
        for (ulong i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? poly ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }
}
