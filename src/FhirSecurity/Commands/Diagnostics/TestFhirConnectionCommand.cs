using System.Management.Automation;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Diagnostics;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Http;
using FhirSecurity.Session;

namespace FhirSecurity.Commands;

/// <summary>
/// Tests a connection step by step (DNS, TCP, TLS, token, metadata, clock) and returns what it found. Each failed
/// step is a non-terminating error with the step's own id; the result object is written all the same.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "FhirConnection")]
[OutputType(typeof(FhirConnectionTestResult))]
public sealed class TestFhirConnectionCommand : FhirCommand
{
    /// <summary>The connection: a name, or an object from Get-FhirConnection.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public FhirConnectionReference Connection { get; set; } = null!;

    /// <summary>How long each network step may take, in seconds (default: the connection's TimeoutSec).</summary>
    [Parameter]
    [ValidateRange(1, ConnectionDefinition.MaxTimeoutSec)]
    public int? TimeoutSec { get; set; }

    /// <summary>
    /// The largest difference between the server's clock and this machine's that passes (default 60).
    /// </summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int MaximumClockSkewSec { get; set; } = (int)ConnectionTestOptions.DefaultMaximumClockSkew.TotalSeconds;

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() =>
        {
            ResolvedConnection connection = Resolve();
            var test = new ConnectionTest(
                connection,
                HandlerPool.Shared,
                TimeProvider.System,
                new ConnectionTestOptions(
                    TimeSpan.FromSeconds(TimeoutSec ?? connection.Connection.TimeoutSec),
                    TimeSpan.FromSeconds(MaximumClockSkewSec)));
            ConnectionTestReport report = Wait(verbose => test.RunAsync(StopToken, verbose));
            foreach (ConnectionTestStep step in report.Steps)
            {
                if (step.Failure is { } failure)
                {
                    WriteError(ErrorRecords.From(failure));
                }
            }

            WriteObject(Views.Of(report));
        });

    private ResolvedConnection Resolve()
    {
        string? vault = Vault ?? Connection.Vault;

        // Read from the vault now, not the session cache: a test checks the definitions as they are stored. The
        // cache takes the fresh copy, so Invoke-FhirRequest sees it too.
        ResolvedConnection resolved = FhirSession.Current.Connections.Resolve(
            Store, Connection.Name, vault, forceReload: true, out _);
        string authentication = resolved.OAuth is not null ? $"OAuth '{resolved.OAuth.Name}'"
            : resolved.Basic is not null ? $"Basic Auth '{resolved.Basic.Name}'"
            : "no authentication";
        WriteVerbose(
            $"Testing connection '{resolved.Connection.Name}' from vault '{resolved.Vault}':"
            + $" {resolved.Connection.BaseUri}, TLS {resolved.Transport.Mode}, {authentication}.");
        if (resolved.Connection.TlsValidation == TlsValidationMode.Skip)
        {
            WriteWarning(
                $"Connection '{resolved.Connection.Name}' skips TLS certificate validation: the TLS step shows what "
                + "the server presents, but nothing is checked.");
        }

        return resolved;
    }
}
