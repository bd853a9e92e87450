namespace Microsoft.PowerShell.SecretManagement;

/// <summary>The secret types SecretManagement 1.1.2 knows; same names and values as the real enum.</summary>
public enum SecretType
{
    /// <summary>Not one of the supported types.</summary>
    Unknown = 0,

    /// <summary>A <c>byte[]</c>.</summary>
    ByteArray,

    /// <summary>A <see cref="string"/>.</summary>
    String,

    /// <summary>A <see cref="System.Security.SecureString"/>.</summary>
    SecureString,

    /// <summary>A <see cref="System.Management.Automation.PSCredential"/>.</summary>
    PSCredential,

    /// <summary>A <see cref="System.Collections.Hashtable"/> of supported values.</summary>
    Hashtable,
}
