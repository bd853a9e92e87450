using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Diagnostics;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Http;
using FhirSecurity.Core.Tests.Fakes;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Core.Tests.Diagnostics;

/// <summary>The connection test's engine against the test server, without PowerShell.</summary>
public sealed class ConnectionTestTests : IAsyncLifetime
{
    private static readonly ConnectionTestOptions Options = new(TimeSpan.FromSeconds(10), ConnectionTestOptions.DefaultMaximumClockSkew);
    private FhirTestServer _server = null!;

    public async Task InitializeAsync() => _server = await FhirTestServer.StartAsync(new FhirTestServerOptions { SeedPatientCount = 1 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<ConnectionTestReport> RunAsync(ResolvedConnection connection, ConnectionTestOptions? options = null, CancellationToken cancellation = default)
        => new ConnectionTest(connection, new HandlerPool(), TimeProvider.System, options ?? Options).RunAsync(cancellation);

    [Fact]
    public async Task Every_step_passes_for_an_OAuth_connection_and_the_token_is_fetched_once()
    {
        ConnectionTestReport report = await RunAsync(ServerConnections.Resolved(_server.OAuthBase, ServerConnections.Trusting(_server.Pki), oauth: ServerConnections.OAuth(_server)));

        Assert.True(report.Passed);
        Assert.Equal(Enum.GetValues<ConnectionTestStepName>(), report.Steps.Select(s => s.Name));
        Assert.All(report.Steps, s => Assert.Equal(ConnectionTestStatus.Passed, s.Status));
        Assert.All(report.Steps, s => Assert.Null(s.ErrorId));
        Assert.Equal(["CN=localhost", "CN=FhirSecurity Test Intermediate CA, O=FhirSecurity Tests"], report.ServerCertificates.Take(2).Select(c => c.Subject));
        Assert.Equal(_server.Pki.ServerCertificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), report.ServerCertificates[0].Sha256Fingerprint);
        Assert.Equal("4.0.1", report.FhirVersion);
        Assert.Equal(1, _server.Counters.TokenRequests);
        Assert.Equal(1, _server.Counters.RequestCount("GET", "/oauth/fhir/metadata"));
    }

    [Fact]
    public async Task An_http_base_has_no_TLS_step()
    {
        // Nothing listens for plain HTTP there: TLS is not applicable, and the metadata request fails on the transport.
        var http = new UriBuilder(_server.OpenBase) { Scheme = "http" }.Uri;
        ResolvedConnection connection = ServerConnections.Resolved(http, new TransportPolicy(TlsValidationMode.Default, null));

        ConnectionTestReport report = await RunAsync(connection);

        Assert.Equal(ConnectionTestStatus.Passed, report.Steps[(int)ConnectionTestStepName.Tcp].Status);
        Assert.Equal(ConnectionTestStatus.NotApplicable, report.Steps[(int)ConnectionTestStepName.Tls].Status);
        Assert.Equal(ConnectionTestStatus.NotApplicable, report.Steps[(int)ConnectionTestStepName.Token].Status);
        Assert.Null(report.TlsProtocol);
    }

    [Fact]
    public async Task A_token_endpoint_on_another_origin_is_tried_even_when_the_FHIR_server_is_unreachable()
    {
        var closed = new Uri("https://127.0.0.1:1/fhir/");
        ResolvedConnection connection = ServerConnections.Resolved(closed, ServerConnections.Trusting(_server.Pki), oauth: ServerConnections.OAuth(_server));

        ConnectionTestReport report = await RunAsync(connection);

        Assert.Equal(ConnectionTestStatus.Failed, report.Steps[(int)ConnectionTestStepName.Tcp].Status);
        Assert.Equal(ErrorIds.ConnectionTestTcpFailed, report.Steps[(int)ConnectionTestStepName.Tcp].ErrorId);
        Assert.Equal(ConnectionTestStatus.Passed, report.Steps[(int)ConnectionTestStepName.Token].Status);
        Assert.Equal(ConnectionTestStatus.Skipped, report.Steps[(int)ConnectionTestStepName.Metadata].Status);
        Assert.Equal(ConnectionTestStatus.Skipped, report.Steps[(int)ConnectionTestStepName.Clock].Status);
    }

    [Fact]
    public async Task A_server_clock_behind_fails_the_clock_step_with_a_negative_skew()
    {
        _server.DateHeaderOffset = TimeSpan.FromMinutes(-3);

        ConnectionTestReport report = await RunAsync(ServerConnections.Resolved(_server.OpenBase, ServerConnections.Trusting(_server.Pki)));

        ConnectionTestStep clock = report.Steps[(int)ConnectionTestStepName.Clock];
        Assert.Equal(ConnectionTestStatus.Failed, clock.Status);
        Assert.Equal(ErrorIds.ConnectionTestClockSkew, clock.ErrorId);
        Assert.Contains("behind this machine's", clock.Detail);
        Assert.InRange(report.ClockSkew!.Value.TotalSeconds, -182, -178);
    }

    [Fact]
    public async Task Cancellation_ends_the_test_promptly()
    {
        _server.Faults.Enqueue("/open/fhir/metadata", Fault.Slow(TimeSpan.FromSeconds(30)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(ServerConnections.Resolved(_server.OpenBase, ServerConnections.Trusting(_server.Pki)), cancellation: cancel.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_step_that_takes_longer_than_the_timeout_fails_as_a_timeout()
    {
        _server.Faults.Enqueue("/open/fhir/metadata", Fault.Slow(TimeSpan.FromSeconds(30)));

        ConnectionTestReport report = await RunAsync(ServerConnections.Resolved(_server.OpenBase, ServerConnections.Trusting(_server.Pki)), Options with { Timeout = TimeSpan.FromSeconds(1) });

        ConnectionTestStep metadata = report.Steps[(int)ConnectionTestStepName.Metadata];
        Assert.Equal(ConnectionTestStatus.Failed, metadata.Status);
        Assert.Equal(ErrorIds.ConnectionTestMetadataFailed, metadata.ErrorId);
        Assert.Equal(FailureCategory.OperationTimeout, metadata.Failure!.Category);
    }
}
