using System.Management.Automation;
using System.Security;
using FhirSecurity.Core.Definitions.Edits;

namespace FhirSecurity.Commands;

/// <summary>Changes a Basic Auth definition, for example to rotate its password. Only what is given changes.</summary>
[Cmdlet(VerbsCommon.Set, "FhirBasicAuth", SupportsShouldProcess = true, DefaultParameterSetName = PasswordSet)]
[OutputType(typeof(FhirBasicAuthInfo))]
public sealed class SetFhirBasicAuthCommand : SetDefinitionCommand
{
    private const string PasswordSet = "Password";
    private const string CredentialSet = "Credential";

    /// <summary>A new user name and password together.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    /// <summary>A new user name (the password stays unless -Password is given).</summary>
    [Parameter(ParameterSetName = PasswordSet)]
    [ValidateNotNullOrEmpty]
    public string? UserName { get; set; }

    /// <summary>A new password.</summary>
    [Parameter(ParameterSetName = PasswordSet)]
    public SecureString? Password { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() =>
        {
            BasicAuthEdit edit = ParameterSetName == CredentialSet
                ? BasicAuthEdit.From(SecureStrings.ToCredential(Credential)!)
                : new BasicAuthEdit { UserName = UserName, Password = SecureStrings.ToSecret(Password) };
            if (edit.IsEmpty)
            {
                WriteWarning(
                    $"Nothing to change for Basic Auth definition '{Name}': pass -Password, -UserName or -Credential.");
                return;
            }

            this.WriteDefinition(Name, edit, force: null, PassThru);
        });
}
