using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Http;
using FhirSecurity.Core.Tests.Fakes;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Core.Tests.Http;

/// <summary>One PKI for the class (key generation is the slow part); each test starts the server it needs.</summary>
public sealed class SharedPki : IDisposable
{
    public TestPki Pki { get; } = TestPki.Create();

    public TestPki Other { get; } = TestPki.Create(name: "Other");

    public void Dispose()
    {
        Pki.Dispose();
        Other.Dispose();
    }
}

public sealed class TransportPolicyTests : IClassFixture<SharedPki>
{
    private readonly TestPki _pki;
    private readonly TestPki _other;

    public TransportPolicyTests(SharedPki shared) => (_pki, _other) = (shared.Pki, shared.Other);

    private static Task<FhirResponse> GetMetadataAsync(FhirTestServer server, TransportPolicy tls)
    {
        var client = new FhirClient(ServerConnections.Resolved(server.OpenBase, tls), new HandlerPool(), new TokenCache(TimeProvider.System), TimeProvider.System);
        return client.SendAsync(ServerConnections.Get(new Uri(server.OpenBase, "metadata")), CancellationToken.None);
    }

    private static async Task<FhirSecurityException> AssertRefusedAsync(FhirTestServer server, TransportPolicy tls)
    {
        long before = server.Counters.TotalRequests;
        FhirSecurityException error = await Assert.ThrowsAsync<FhirSecurityException>(() => GetMetadataAsync(server, tls));
        Assert.Equal(ErrorIds.TlsValidationFailed, error.ErrorId);
        Assert.Equal(FailureCategory.SecurityError, error.Category);
        Assert.Contains($"({tls.Mode} validation)", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, server.Counters.TotalRequests);
        return error;
    }

    private Task<FhirTestServer> StartAsync(CertificateOptions? certificate = null, bool sendChain = true)
        => FhirTestServer.StartAsync(new FhirTestServerOptions
        {
            Pki = _pki,
            SeedPatientCount = 0,
            ServerCertificate = certificate is null ? null : _pki.IssueServerCertificate(certificate),
            SendCertificateChain = sendChain,
        });

    [Fact]
    public async Task CustomBundleWithTheServersCaSucceeds()
    {
        await using FhirTestServer server = await StartAsync();

        FhirResponse response = await GetMetadataAsync(server, ServerConnections.Bundle(_pki.BundlePem));

        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public async Task CustomBundleWithTheRootAloneSucceedsWhenTheServerSendsItsIntermediate()
    {
        // The usual setup: users import the corporate root; servers send their intermediate in the handshake.
        await using FhirTestServer server = await StartAsync();

        FhirResponse response = await GetMetadataAsync(server, ServerConnections.Bundle(_pki.RootPem));

        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public async Task DefaultRefusesAPrivateCaAndSaysWhy()
    {
        await using FhirTestServer server = await StartAsync();

        FhirSecurityException error = await AssertRefusedAsync(server, new TransportPolicy(TlsValidationMode.Default, null));

        Assert.Contains("not trusted by the system trust store", error.Message, StringComparison.Ordinal);
        Assert.Matches("UntrustedRoot|PartialChain", error.Message);
        Assert.Contains("Import-FhirCaBundle", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TlsValidationMode.CustomBundle)]
    [InlineData(TlsValidationMode.Default)]
    public async Task ACertificateForAnotherHostNamesBothHosts(TlsValidationMode mode)
    {
        await using FhirTestServer server = await StartAsync(CertificateOptions.WrongHost);
        TransportPolicy tls = mode == TlsValidationMode.CustomBundle ? ServerConnections.Bundle(_pki.BundlePem) : new TransportPolicy(mode, null);

        FhirSecurityException error = await AssertRefusedAsync(server, tls);

        Assert.Contains("fhir.example.org", error.Message, StringComparison.Ordinal);
        Assert.Contains("'127.0.0.1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SkipAcceptsASelfSignedCertificate()
    {
        await using FhirTestServer server = await StartAsync(CertificateOptions.SelfSigned);

        FhirResponse response = await GetMetadataAsync(server, new TransportPolicy(TlsValidationMode.Skip, null));

        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public async Task CustomBundleRefusesASelfSignedCertificate()
    {
        await using FhirTestServer server = await StartAsync(CertificateOptions.SelfSigned);

        FhirSecurityException error = await AssertRefusedAsync(server, ServerConnections.Bundle(_pki.BundlePem));

        Assert.Contains("does not chain to the CA bundle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALeafSentAloneNeedsTheIntermediateInTheBundle()
    {
        await using FhirTestServer server = await StartAsync(sendChain: false);

        FhirResponse response = await GetMetadataAsync(server, ServerConnections.Bundle(_pki.BundlePem));
        FhirSecurityException error = await AssertRefusedAsync(server, ServerConnections.Bundle(_pki.RootPem));

        Assert.Equal(200, response.StatusCode);
        Assert.Contains("does not chain to the CA bundle", error.Message, StringComparison.Ordinal);
        Assert.Contains("PartialChain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnrelatedBundleIsRefused()
    {
        await using FhirTestServer server = await StartAsync();

        FhirSecurityException error = await AssertRefusedAsync(server, ServerConnections.Bundle(_other.BundlePem));

        Assert.Contains("does not chain to the CA bundle", error.Message, StringComparison.Ordinal);
        Assert.Contains("CN=localhost", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredCertificateIsRefusedEvenFromTheRightCa()
    {
        await using FhirTestServer server = await StartAsync(CertificateOptions.Expired);

        FhirSecurityException error = await AssertRefusedAsync(server, ServerConnections.Bundle(_pki.BundlePem));

        Assert.Contains("NotTimeValid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HandlerPoolSharesAClientBetweenEqualPolicies()
    {
        var pool = new HandlerPool();

        PooledClient first = pool.GetClient(ServerConnections.Bundle(_pki.BundlePem));
        PooledClient again = pool.GetClient(ServerConnections.Bundle(_pki.BundlePem));
        PooledClient otherBundle = pool.GetClient(ServerConnections.Bundle(_other.BundlePem));
        PooledClient rootOnly = pool.GetClient(ServerConnections.Bundle(_pki.RootPem));
        PooledClient system = pool.GetClient(new TransportPolicy(TlsValidationMode.Default, null));
        PooledClient skip = pool.GetClient(new TransportPolicy(TlsValidationMode.Skip, null));
        PooledClient systemAgain = pool.GetClient(new TransportPolicy(TlsValidationMode.Default, null));

        Assert.Same(first, again);
        Assert.Same(system, systemAgain);
        Assert.Equal(5, new[] { first, otherBundle, rootOnly, system, skip }.Select(c => c.Http).Distinct().Count());
        Assert.Equal(5, pool.Count);
    }

    [Fact]
    public async Task APooledClientDoesNotLetASkipPolicyVouchForAStrictOne()
    {
        // Same server, once through Skip and once through a strict policy: the second must still validate.
        await using FhirTestServer server = await StartAsync(CertificateOptions.SelfSigned);
        var pool = new HandlerPool();
        var tokens = new TokenCache(TimeProvider.System);
        Uri metadata = new(server.OpenBase, "metadata");
        var skip = new FhirClient(ServerConnections.Resolved(server.OpenBase, new TransportPolicy(TlsValidationMode.Skip, null)), pool, tokens, TimeProvider.System);
        var strict = new FhirClient(ServerConnections.Resolved(server.OpenBase, ServerConnections.Bundle(_pki.BundlePem)), pool, tokens, TimeProvider.System);

        FhirResponse skipped = await skip.SendAsync(ServerConnections.Get(metadata), CancellationToken.None);
        FhirSecurityException error = await Assert.ThrowsAsync<FhirSecurityException>(() => strict.SendAsync(ServerConnections.Get(metadata), CancellationToken.None));

        Assert.Equal(200, skipped.StatusCode);
        Assert.Equal(ErrorIds.TlsValidationFailed, error.ErrorId);
    }
}
