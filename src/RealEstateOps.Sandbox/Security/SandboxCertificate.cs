using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RealEstateOps.Sandbox.Security;

/// <summary>
/// A self-signed TLS certificate made at each start, for the sandbox's HTTPS listener (the Kubernetes API:
/// kubectl sends bearer tokens only over TLS). Valid for 127.0.0.1, ::1 and localhost; the launcher puts
/// it in the kubeconfig as certificate-authority-data. The private key never leaves the process.
/// </summary>
public static class SandboxCertificate
{
    public static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=RealEstateOps sandbox (127.0.0.1)", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new("1.3.6.1.5.5.7.3.1") }, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(90));
        // Through PKCS#12 so that the key is usable by SslStream on every platform; a random password for the moment it is exported.
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12, password), password);
    }

    /// <summary>The certificate (public part only) in PEM, as kubeconfig's certificate-authority-data wants it (base64 of the PEM).</summary>
    public static string PemOf(X509Certificate2 certificate) => certificate.ExportCertificatePem();
}
