using System.Security.Cryptography.X509Certificates;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Core.Tests.TestServer;

public sealed class TestPkiTests
{
    private static X509ChainStatusFlags Validate(TestPki pki, X509Certificate2 leaf, bool withIntermediate = true)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(pki.Root);
        if (withIntermediate)
        {
            chain.ChainPolicy.ExtraStore.Add(pki.Intermediate);
        }

        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.Build(leaf);
        return chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
    }

    [Theory]
    [InlineData(TestKeyAlgorithm.EcdsaP256)]
    [InlineData(TestKeyAlgorithm.Rsa2048)]
    public void ServerCertificateChainsToRootThroughIntermediate(TestKeyAlgorithm algorithm)
    {
        using var pki = TestPki.Create(algorithm);

        Assert.True(pki.ServerCertificate.HasPrivateKey);
        Assert.Equal(X509ChainStatusFlags.NoError, Validate(pki, pki.ServerCertificate));
        Assert.Equal(X509ChainStatusFlags.PartialChain, Validate(pki, pki.ServerCertificate, withIntermediate: false) & X509ChainStatusFlags.PartialChain);
    }

    [Fact]
    public void ExtensionsAreThoseOfARealPki()
    {
        using var pki = TestPki.Create();
        var leaf = pki.ServerCertificate;

        var rootConstraints = pki.Root.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(rootConstraints.CertificateAuthority);
        var intermediateConstraints = pki.Intermediate.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(intermediateConstraints is { CertificateAuthority: true, HasPathLengthConstraint: true, PathLengthConstraint: 0 });
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal("1.3.6.1.5.5.7.3.1", leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages[0].Value);

        var intermediateSki = pki.Intermediate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier;
        var leafAki = leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value;
        Assert.Equal(intermediateSki, Convert.ToHexString(leafAki.Span));

        var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", san.EnumerateDnsNames());
        Assert.Contains(System.Net.IPAddress.Loopback, san.EnumerateIPAddresses());
    }

    [Fact]
    public void PemExportsRoundTrip()
    {
        using var pki = TestPki.Create();
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(pki.BundlePem);

        Assert.Equal([pki.Root.Thumbprint, pki.Intermediate.Thumbprint], bundle.Select(c => c.Thumbprint));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", pki.RootPem, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", pki.BundlePem, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenVariantsFailValidationForTheirOwnReason()
    {
        using var pki = TestPki.Create();
        using var expired = pki.IssueServerCertificate(CertificateOptions.Expired);
        using var future = pki.IssueServerCertificate(CertificateOptions.NotYetValid);
        using var selfSigned = pki.IssueServerCertificate(CertificateOptions.SelfSigned);
        using var unrelated = pki.IssueServerCertificate(CertificateOptions.UnrelatedCa);
        using var wrongHost = pki.IssueServerCertificate(CertificateOptions.WrongHost);

        Assert.True(Validate(pki, expired).HasFlag(X509ChainStatusFlags.NotTimeValid));
        Assert.True(Validate(pki, future).HasFlag(X509ChainStatusFlags.NotTimeValid));
        Assert.NotEqual(X509ChainStatusFlags.NoError, Validate(pki, selfSigned));
        Assert.NotEqual(X509ChainStatusFlags.NoError, Validate(pki, unrelated));
        Assert.Equal(pki.UnrelatedRoot.Subject, unrelated.Issuer);
        // The chain is fine; only the name is wrong, which TLS (not chain building) catches.
        Assert.Equal(X509ChainStatusFlags.NoError, Validate(pki, wrongHost));
        Assert.False(wrongHost.MatchesHostname("localhost"));
        Assert.True(pki.ServerCertificate.MatchesHostname("localhost"));
    }

    [Fact]
    public void ClientCertificateHasClientAuthUsage()
    {
        using var pki = TestPki.Create();
        using var client = pki.IssueClientCertificate("CN=runbook");

        Assert.True(client.HasPrivateKey);
        Assert.Equal("CN=runbook", client.Subject);
        Assert.Equal("1.3.6.1.5.5.7.3.2", client.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages[0].Value);
        Assert.Equal(X509ChainStatusFlags.NoError, Validate(pki, client));
    }
}
