namespace FhirSecurity;

/// <summary>One step of Test-FhirConnection: DNS, TCP, TLS, Token, Metadata or Clock.</summary>
public sealed class FhirConnectionTestStep
{
    internal FhirConnectionTestStep(
        string name, FhirTestStatus status, TimeSpan duration, string detail, string? errorId)
    {
        Name = name;
        Status = status;
        Duration = duration;
        Detail = detail;
        ErrorId = errorId;
    }

    /// <summary>The step: Dns, Tcp, Tls, Token, Metadata or Clock.</summary>
    public string Name { get; }

    /// <summary>Passed, Failed, Skipped or NotApplicable.</summary>
    public FhirTestStatus Status { get; }

    /// <summary>How long the step took.</summary>
    public TimeSpan Duration { get; }

    /// <summary>What was found, or why the step failed or did not run.</summary>
    public string Detail { get; }

    /// <summary>The id of the error written for a failed step (e.g. ConnectionTestTlsFailed), else null.</summary>
    public string? ErrorId { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Status}";
}
