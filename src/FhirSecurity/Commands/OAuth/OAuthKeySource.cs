using System.Management.Automation;
using System.Security;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Commands;

/// <summary>Reads the private key a user gives to New-FhirOAuth or Set-FhirOAuth: a PEM file or PEM text.</summary>
internal static class OAuthKeySource
{
    /// <summary>
    /// The key from <paramref name="path"/> (resolved like any PowerShell path, relative to the current location) or
    /// from <paramref name="pem"/>, parsed and re-encoded as PKCS#8; null when neither is given. Both at once is
    /// <c>OAuthClientCredentialConflict</c>.
    /// </summary>
    public static ClientKey? Read(PSCmdlet cmdlet, string? path, SecureString? pem, string definitionName)
    {
        if (path is not null && pem is not null)
        {
            throw new FhirSecurityException(
                ErrorIds.OAuthClientCredentialConflict,
                FailureCategory.InvalidArgument,
                "Give the private key once: -PrivateKeyPath (a PEM file) or -PrivateKey (PEM text), not both.",
                definitionName);
        }

        if (pem is not null)
        {
            return ClientKey.Parse(SecureStrings.ToSecret(pem)!, "the -PrivateKey text", definitionName);
        }

        if (path is null)
        {
            return null;
        }

        string file = UserFiles.Resolve(cmdlet, path, ErrorIds.OAuthPrivateKeyFileNotFound, $"The private key file '{path}' was not found. Give the path of a PEM file (one file, no wildcards).");
        return ClientKey.Parse(new SecretValue(File.ReadAllText(file)), $"'{file}'", definitionName);
    }
}
