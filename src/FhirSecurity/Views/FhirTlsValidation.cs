namespace FhirSecurity;

/// <summary>How a connection validates the server's TLS certificate.</summary>
public enum FhirTlsValidation
{
    /// <summary>The system trust store.</summary>
    Default,

    /// <summary>Only the roots of a CA bundle made with Import-FhirCaBundle; the host name is still checked.</summary>
    CustomBundle,

    /// <summary>No validation. Only for tests against servers you control; a warning is written on use.</summary>
    Skip,
}
