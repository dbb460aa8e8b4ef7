<#
.SYNOPSIS
    Writes the module's MAML help (en-US/RealEstateOps.dll-Help.xml) from the sources in docs/.
.DESCRIPTION
    Each exported cmdlet has docs/<Cmdlet-Name>.psd1 with Synopsis, Description, Parameters (name to
    text), Examples (Code, Remarks) and optional Notes and Links. Parameter types, sets, positions
    and pipeline input come from the built cmdlets themselves, so the help cannot drift from the code.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DocsPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$module = Import-Module (Join-Path $ModulePath 'RealEstateOps.psd1') -PassThru -Force
# -WhatIf and -Confirm are shown in the syntax and described, as in PowerShell's own help; the other common parameters are <CommonParameters>.
$common = [System.Management.Automation.Cmdlet]::CommonParameters + ([System.Management.Automation.Cmdlet]::OptionalCommonParameters | Where-Object { $_ -notin 'WhatIf', 'Confirm' })
$standardText = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}
$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$helpDir = Join-Path $ModulePath 'en-US'
New-Item -ItemType Directory -Force $helpDir | Out-Null
$file = Join-Path $helpDir 'RealEstateOps.dll-Help.xml'
$w = [System.Xml.XmlWriter]::Create($file, $settings)
$ns = @{
    maml = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
$missing = [System.Collections.Generic.List[string]]::new()

function Write-Para([string] $text) {
    foreach ($para in ($text -split "(\r?\n){2,}" | Where-Object { $_.Trim() })) {
        $w.WriteElementString('maml', 'para', $ns.maml, ($para.Trim() -replace '\s*\r?\n\s*', ' '))
    }
}
# The type as PowerShell's help shows it: Int32 for a Nullable<Int32>, String[] for an array, SwitchParameter.
function Get-HelpTypeName([type] $type, [switch] $FullName) {
    $underlying = [Nullable]::GetUnderlyingType($type)
    if ($underlying) { $type = $underlying }
    if ($type.IsArray) { return (Get-HelpTypeName $type.GetElementType() -FullName:$FullName) + '[]' }
    if ($FullName) { $type.FullName } else { $type.Name }
}
# The value a parameter has when it is not given, read from a new instance of the cmdlet (its property initialisers):
# None when there is none (the context may still supply one: the parameter's text says so), False for a switch.
function Get-DefaultValue($p) {
    if ($p.Name -in 'WhatIf', 'Confirm') { return 'False' }
    $property = $script:instance.GetType().GetProperty($p.Name)
    $value = if ($property) { $property.GetValue($script:instance) }
    if ($null -eq $value) { return 'None' }
    if ($value -is [switch]) { return [string]$value.IsPresent }
    if ($value -is [array]) { if ($value.Count -eq 0) { return 'None' } else { return ($value -join ', ') } }
    if ($value -is [string] -and $value -eq '') { return 'None' }
    return [System.Convert]::ToString($value, [System.Globalization.CultureInfo]::InvariantCulture)
}
function Write-ParameterElement($p, $meta, [string] $text, [switch] $InSyntax) {
    $attr = if ($meta) { $meta } else { $p.ParameterSets.Values | Select-Object -First 1 }
    $w.WriteStartElement('command', 'parameter', $ns.command)
    $w.WriteAttributeString('required', ([string]$attr.IsMandatory).ToLowerInvariant())
    $w.WriteAttributeString('variableLength', 'true')
    $w.WriteAttributeString('globbing', ([bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })).ToString().ToLowerInvariant())
    $pipe = @()
    if ($attr.ValueFromPipeline) { $pipe += 'ByValue' }
    if ($attr.ValueFromPipelineByPropertyName) { $pipe += 'ByPropertyName' }
    $w.WriteAttributeString('pipelineInput', $(if ($pipe) { "True ($($pipe -join ', '))" } else { 'False' }))
    $w.WriteAttributeString('position', $(if ($attr.Position -ge 0) { [string]$attr.Position } else { 'named' }))
    $w.WriteAttributeString('aliases', $(if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }))
    $w.WriteElementString('maml', 'name', $ns.maml, $p.Name)
    $w.WriteStartElement('maml', 'description', $ns.maml); Write-Para $text; $w.WriteEndElement()
    $isSwitch = $p.ParameterType -eq [switch]
    # In the syntax a switch is [-Name], as in PowerShell's own help; under PARAMETERS it is -Name [<SwitchParameter>].
    if (-not ($isSwitch -and $InSyntax)) {
        $w.WriteStartElement('command', 'parameterValue', $ns.command)
        $w.WriteAttributeString('required', (-not $isSwitch).ToString().ToLowerInvariant())
        $w.WriteAttributeString('variableLength', 'false')
        $w.WriteString((Get-HelpTypeName $p.ParameterType))
        $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $ns.dev); $w.WriteElementString('maml', 'name', $ns.maml, (Get-HelpTypeName $p.ParameterType -FullName)); $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $ns.dev, (Get-DefaultValue $p))
    $w.WriteEndElement()
}

$w.WriteStartDocument()
$w.WriteStartElement('helpItems'); $w.WriteAttributeString('schema', 'maml')
# Get-Command, not the module's ExportedCmdlets: only its parameter sets include dynamic parameters (-IgnoreMaintenanceWindow, -Reason).
foreach ($cmd in ($module.ExportedCmdlets.Values | Sort-Object Name | ForEach-Object { Get-Command -Name $_.Name -Module $module.Name -CommandType Cmdlet })) {
    $src = Join-Path $DocsPath "$($cmd.Name).psd1"
    if (-not (Test-Path $src)) { $missing.Add("$($cmd.Name): no docs/$($cmd.Name).psd1"); continue }
    $doc = Import-PowerShellDataFile $src
    $script:instance = [System.Activator]::CreateInstance($cmd.ImplementingType)
    $params = $cmd.Parameters.Values | Where-Object { $_.Name -notin $common }
    $text = @{}
    foreach ($p in $params) {
        $text[$p.Name] = if ($doc.Parameters -and $doc.Parameters[$p.Name]) { $doc.Parameters[$p.Name] } else { $standardText[$p.Name] }
        if (-not $text[$p.Name]) { $missing.Add("$($cmd.Name) -$($p.Name): no description") }
    }
    if (-not $doc.Synopsis) { $missing.Add("$($cmd.Name): no synopsis") }
    if (-not $doc.Examples) { $missing.Add("$($cmd.Name): no example") }

    $w.WriteStartElement('command', 'command', $ns.command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
    $w.WriteAttributeString('xmlns', 'command', $null, $ns.command)
    $w.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)
    $w.WriteStartElement('command', 'details', $ns.command)
    $w.WriteElementString('command', 'name', $ns.command, $cmd.Name)
    $w.WriteStartElement('maml', 'description', $ns.maml); Write-Para $doc.Synopsis; $w.WriteEndElement()
    $w.WriteElementString('command', 'verb', $ns.command, $cmd.Verb)
    $w.WriteElementString('command', 'noun', $ns.command, $cmd.Noun)
    $w.WriteEndElement()
    $w.WriteStartElement('maml', 'description', $ns.maml); Write-Para $doc.Description; $w.WriteEndElement()

    $w.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $cmd.ParameterSets) {
        $w.WriteStartElement('command', 'syntaxItem', $ns.command)
        $w.WriteElementString('maml', 'name', $ns.maml, $cmd.Name)
        foreach ($sp in ($set.Parameters | Where-Object { $_.Name -notin $common } | Sort-Object -Stable { if ($_.Position -ge 0) { $_.Position } elseif ($_.Name -in 'WhatIf', 'Confirm') { 2000 } else { 1000 } })) {
            $p = $cmd.Parameters[$sp.Name]
            Write-ParameterElement $p $p.ParameterSets[$set.Name] $text[$sp.Name] -InSyntax
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($p in ($params | Sort-Object Name)) { Write-ParameterElement $p $null $text[$p.Name] }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'inputTypes', $ns.command)
    $byName = $params | Where-Object { $_.ParameterSets.Values | Where-Object { $_.ValueFromPipelineByPropertyName -or $_.ValueFromPipeline } }
    $w.WriteStartElement('command', 'inputType', $ns.command)
    $w.WriteStartElement('dev', 'type', $ns.dev)
    $w.WriteElementString('maml', 'name', $ns.maml, $(if ($byName) { ($byName.Name | ForEach-Object { "-$_" }) -join ', ' } else { 'None' }))
    $w.WriteEndElement()
    $w.WriteStartElement('maml', 'description', $ns.maml)
    Write-Para $(if ($byName) { 'These parameters take values from the pipeline (see each parameter).' } else { 'This cmdlet takes no pipeline input.' })
    $w.WriteEndElement(); $w.WriteEndElement(); $w.WriteEndElement()

    $w.WriteStartElement('command', 'returnValues', $ns.command)
    foreach ($t in $cmd.OutputType) {
        $w.WriteStartElement('command', 'returnValue', $ns.command)
        $w.WriteStartElement('dev', 'type', $ns.dev); $w.WriteElementString('maml', 'name', $ns.maml, $t.Name); $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    if ($doc.ContainsKey('Notes') -and $doc.Notes) {
        $w.WriteStartElement('maml', 'alertSet', $ns.maml)
        $w.WriteStartElement('maml', 'alert', $ns.maml); Write-Para $doc.Notes; $w.WriteEndElement()
        $w.WriteEndElement()
    }

    $w.WriteStartElement('command', 'examples', $ns.command)
    $i = 0
    foreach ($ex in $doc.Examples) {
        $i++
        $w.WriteStartElement('command', 'example', $ns.command)
        $title = if ($ex.ContainsKey('Title') -and $ex.Title) { "Example $($i): $($ex.Title)" } else { "Example $i" }
        $w.WriteElementString('maml', 'title', $ns.maml, "-------------------------- $title --------------------------")
        $w.WriteElementString('dev', 'code', $ns.dev, $ex.Code.Trim())
        $w.WriteStartElement('dev', 'remarks', $ns.dev); Write-Para $ex.Remarks; $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in @(if ($doc.ContainsKey('Links')) { $doc.Links })) {
        $w.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $w.WriteElementString('maml', 'linkText', $ns.maml, $link)
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Close()

if ($missing.Count) {
    Write-Warning ("Help is incomplete:`n  " + ($missing -join "`n  "))
}
Write-Host "Help: $file ($($module.ExportedCmdlets.Count) cmdlets)"
