using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Broker.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A throw-away self-signed certificate for 127.0.0.1, written as PFX (for Kestrel) and PEM (for clients such as
/// Python's ssl, through SSL_CERT_FILE), so a broker under test can listen on https.
/// </summary>
public sealed class LoopbackCertificate : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("broker-cert").FullName;

    public LoopbackCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllBytes(PfxPath, cert.Export(X509ContentType.Pfx, Password));
        File.WriteAllText(PemPath, cert.ExportCertificatePem() + "\n");
    }

    public string Password { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
    public string PfxPath => Path.Combine(_dir, "broker.pfx");
    public string PemPath => Path.Combine(_dir, "broker.pem");

    /// <summary>Broker settings that make it listen on http and https on free ports with this certificate.</summary>
    public IReadOnlyDictionary<string, string> KestrelSettings(IReadOnlyDictionary<string, string> settings)
    {
        var all = new Dictionary<string, string>(settings)
        {
            ["urls"] = "http://127.0.0.1:0;https://127.0.0.1:0",
            ["Kestrel:Certificates:Default:Path"] = PfxPath,
            ["Kestrel:Certificates:Default:Password"] = Password,
        };
        return all;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
