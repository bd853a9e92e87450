namespace FhirSecurity.Core.Errors;

/// <summary>
/// Why an operation failed. The member names match PowerShell's <c>ErrorCategory</c> members, so the cmdlets map
/// one to the other by name while the engine stays free of PowerShell.
/// </summary>
public enum FailureCategory
{
    /// <summary>An argument is malformed or out of range.</summary>
    InvalidArgument,

    /// <summary>A named object does not exist.</summary>
    ObjectNotFound,

    /// <summary>An object with that name exists already.</summary>
    ResourceExists,

    /// <summary>The operation is not allowed in the current state.</summary>
    InvalidOperation,

    /// <summary>Stored or received data cannot be understood.</summary>
    InvalidData,

    /// <summary>A required component is not installed.</summary>
    NotInstalled,

    /// <summary>A resource (a vault, a server) cannot be used right now.</summary>
    ResourceUnavailable,

    /// <summary>A security check refused the operation.</summary>
    SecurityError,

    /// <summary>Credentials were refused.</summary>
    AuthenticationError,

    /// <summary>The network connection failed.</summary>
    ConnectionError,

    /// <summary>The operation took longer than allowed.</summary>
    OperationTimeout,

    /// <summary>A remote party broke the protocol.</summary>
    ProtocolError,

    /// <summary>A limit was reached (e.g. too many redirects).</summary>
    LimitsExceeded,

    /// <summary>A read from a store failed.</summary>
    ReadError,

    /// <summary>A write to a store failed.</summary>
    WriteError,

    /// <summary>A shared resource is in use by someone else; trying again later may succeed.</summary>
    ResourceBusy,
}
