using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FhirSecurity.TestServer;

/// <summary>A CA certificate and the key that signs with it.</summary>
internal sealed class CertificateAuthority(X509Certificate2 certificate, AsymmetricAlgorithm key) : IDisposable
{
    public X509Certificate2 Certificate { get; } = certificate;

    public AsymmetricAlgorithm Key { get; } = key;

    public X509SignatureGenerator SignatureGenerator => CertificateFactory.SignatureGeneratorFor(Key);

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}
