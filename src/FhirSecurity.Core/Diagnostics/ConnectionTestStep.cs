using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Diagnostics;

/// <summary>The outcome of one step of a connection test.</summary>
/// <param name="Name">Which step.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Duration">How long it took (zero when it did not run).</param>
/// <param name="Detail">What was found, or why it failed or did not run. Never a secret.</param>
/// <param name="Failure">For a failed step: the error to report, with the step's stable id; else null.</param>
public sealed record ConnectionTestStep(
    ConnectionTestStepName Name,
    ConnectionTestStatus Status,
    TimeSpan Duration,
    string Detail,
    FhirSecurityException? Failure = null)
{
    /// <summary>The stable error id of a failed step, else null.</summary>
    public string? ErrorId => Failure?.ErrorId;
}
