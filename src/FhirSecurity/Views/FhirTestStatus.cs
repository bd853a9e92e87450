namespace FhirSecurity;

/// <summary>How one step of Test-FhirConnection ended.</summary>
public enum FhirTestStatus
{
    /// <summary>The check ran and succeeded.</summary>
    Passed,

    /// <summary>The check ran and failed; an error with the step's id was written.</summary>
    Failed,

    /// <summary>The check did not run because a step it depends on failed.</summary>
    Skipped,

    /// <summary>The check does not apply to this connection (TLS for http://, a token without OAuth).</summary>
    NotApplicable,
}
