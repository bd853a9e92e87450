namespace FhirSecurity.Core.Definitions;

/// <summary>How a connection validates the server's certificate.</summary>
public enum TlsValidationMode
{
    /// <summary>The system trust store.</summary>
    Default,

    /// <summary>
    /// Only the roots of a named CA bundle (intermediates in it help build the chain); host name checked.
    /// </summary>
    CustomBundle,

    /// <summary>No validation at all. Only by explicit choice, with a warning on use.</summary>
    Skip,
}
