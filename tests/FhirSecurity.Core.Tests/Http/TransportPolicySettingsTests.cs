using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Http;
using FhirSecurity.Core.Tests.Fakes;
using FhirSecurity.Core.Tls;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Core.Tests.Http;

/// <summary>Minimum TLS version and revocation mode: what the policy enables, and that they keep handlers apart.</summary>
public sealed class TransportPolicySettingsTests : IClassFixture<SharedPki>
{
    private readonly TestPki _pki;

    public TransportPolicySettingsTests(SharedPki shared) => _pki = shared.Pki;

    private TransportPolicy Bundle(TlsVersion version = TlsVersion.Tls12, RevocationCheckMode revocation = RevocationCheckMode.NoCheck)
        => new(TlsValidationMode.CustomBundle, CaBundle.Parse(_pki.BundlePem, DateTimeOffset.UtcNow, "test"), version, revocation);

    [Fact]
    public void Nothing_older_than_TLS_12_is_ever_enabled()
    {
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, new TransportPolicy(TlsValidationMode.Default, null).EnabledProtocols);
        Assert.Equal(SslProtocols.Tls13, new TransportPolicy(TlsValidationMode.Skip, null, TlsVersion.Tls13).EnabledProtocols);
    }

    [Fact]
    public void Platform_chain_checks_revocation_only_for_Default()
    {
        // CustomBundle builds its own chain with the mode; checking the platform chain too would fetch CRLs twice.
        Assert.Equal(X509RevocationMode.Online, new TransportPolicy(TlsValidationMode.Default, null, revocationMode: RevocationCheckMode.Online).PlatformRevocationMode);
        Assert.Equal(X509RevocationMode.Offline, new TransportPolicy(TlsValidationMode.Default, null, revocationMode: RevocationCheckMode.Offline).PlatformRevocationMode);
        Assert.Equal(X509RevocationMode.NoCheck, Bundle(revocation: RevocationCheckMode.Online).PlatformRevocationMode);
        Assert.Equal(X509RevocationMode.NoCheck, new TransportPolicy(TlsValidationMode.Skip, null, revocationMode: RevocationCheckMode.Online).PlatformRevocationMode);
    }

    [Fact]
    public void Minimum_version_and_revocation_mode_change_the_fingerprint_and_the_pooled_handler()
    {
        var pool = new HandlerPool();
        TransportPolicy[] policies =
        [
            Bundle(),
            Bundle(TlsVersion.Tls13),
            Bundle(revocation: RevocationCheckMode.Online),
            Bundle(revocation: RevocationCheckMode.Offline),
            new(TlsValidationMode.Default, null),
            new(TlsValidationMode.Default, null, TlsVersion.Tls13),
            new(TlsValidationMode.Default, null, revocationMode: RevocationCheckMode.Online),
        ];

        Assert.Equal(policies.Length, policies.Select(p => p.Fingerprint).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(policies.Length, policies.Select(p => pool.GetClient(p).Http).Distinct().Count());
        Assert.Equal(Bundle(TlsVersion.Tls13).Fingerprint, Bundle(TlsVersion.Tls13).Fingerprint);
        Assert.Same(pool.GetClient(Bundle(TlsVersion.Tls13)), pool.GetClient(Bundle(TlsVersion.Tls13)));
    }

    [Fact]
    public async Task Online_revocation_against_a_CA_without_CRLs_is_TlsRevocationUnknown_with_advice()
    {
        await using FhirTestServer server = await FhirTestServer.StartAsync(new FhirTestServerOptions { Pki = _pki, SeedPatientCount = 0 });
        var client = new FhirClient(ServerConnections.Resolved(server.OpenBase, Bundle(revocation: RevocationCheckMode.Online)), new HandlerPool(), new TokenCache(TimeProvider.System), TimeProvider.System);

        FhirSecurityException error = await Assert.ThrowsAsync<FhirSecurityException>(
            () => client.SendAsync(ServerConnections.Get(new Uri(server.OpenBase, "metadata")), CancellationToken.None));

        Assert.Equal(ErrorIds.TlsRevocationUnknown, error.ErrorId);
        Assert.Equal(FailureCategory.SecurityError, error.Category);
        Assert.Contains("RevocationStatusUnknown", error.Message, StringComparison.Ordinal);
        Assert.Contains("-RevocationMode NoCheck", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Counters.TotalRequests);
    }
}
