namespace FhirSecurity.Core.Diagnostics;

/// <summary>How one step of a connection test ended.</summary>
public enum ConnectionTestStatus
{
    /// <summary>The check ran and succeeded.</summary>
    Passed,

    /// <summary>The check ran and failed.</summary>
    Failed,

    /// <summary>The check did not run: a step it depends on failed.</summary>
    Skipped,

    /// <summary>The check does not apply to this connection (TLS for http://, a token without OAuth).</summary>
    NotApplicable,
}
