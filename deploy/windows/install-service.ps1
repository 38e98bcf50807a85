<#
.SYNOPSIS
  Installs (or upgrades) CxrPacsAgent as the Windows service "cxr-agent".
.DESCRIPTION
  Publishes the agent for win-x64 (unless -From names a published folder), copies it to -InstallDir, creates the
  settings file from the example once (never overwritten) and registers the service to run
  `cxr-agent.exe serve --config <settings>` as a virtual service account (NT SERVICE\cxr-agent), restarted after a
  failure. All state lives under -DataDir. Run from an elevated PowerShell. See docs/operations.md.
.EXAMPLE
  .\deploy\windows\install-service.ps1
  .\deploy\windows\install-service.ps1 -From C:\build\cxr-agent -DataDir D:\cxr-agent
#>
param(
    [string]$From = "",
    [string]$InstallDir = "$env:ProgramFiles\CxrPacsAgent",
    [string]$ConfigDir = "$env:ProgramData\CxrPacsAgent",
    [string]$DataDir = "$env:ProgramData\CxrPacsAgent\data",
    [switch]$NoStart
)
$ErrorActionPreference = "Stop"
$repo = Resolve-Path "$PSScriptRoot\..\.."
$name = "cxr-agent"

if (-not $From) {
    $From = Join-Path $env:TEMP "cxr-agent-publish"
    Write-Host "Publishing the agent for win-x64 ..."
    dotnet publish "$repo\src\CxrPacsAgent.Worker" -c Release -r win-x64 --self-contained false -o $From --nologo -v quiet
    if ($LASTEXITCODE -ne 0) { throw "dotnet publish failed" }
}
if (-not (Test-Path "$From\cxr-agent.exe")) { throw "$From has no cxr-agent.exe (a 'dotnet publish -r win-x64' folder is needed)" }

$existing = Get-Service -Name $name -ErrorAction SilentlyContinue
if ($existing -and $existing.Status -ne "Stopped") { Stop-Service -Name $name }

New-Item -ItemType Directory -Force -Path $InstallDir, $ConfigDir, $DataDir | Out-Null
if (Test-Path "$InstallDir.previous") { Remove-Item -Recurse -Force "$InstallDir.previous" }
if (Test-Path "$InstallDir\cxr-agent.exe") { Copy-Item -Recurse "$InstallDir" "$InstallDir.previous" }
Copy-Item -Recurse -Force "$From\*" $InstallDir

$settings = Join-Path $ConfigDir "appsettings.json"
if (-not (Test-Path $settings)) {
    Copy-Item "$repo\config\appsettings.Production.example.json" $settings
    Write-Host "Wrote $settings from the example: set Destinations and the AE titles, then restart the service."
}

$binary = "`"$InstallDir\cxr-agent.exe`" serve --config `"$settings`""
if (-not $existing) {
    New-Service -Name $name -BinaryPathName $binary -DisplayName "CxrPacsAgent" -StartupType Automatic `
        -Description "Chest X-ray AI worker: DICOM C-STORE in, SR and SC results to the PACS" | Out-Null
} else {
    sc.exe config $name binPath= $binary | Out-Null
}
# A virtual account of its own, restarted 5 s after a failure (3 times, the count reset after a day).
sc.exe config $name obj= "NT SERVICE\$name" | Out-Null
sc.exe failure $name reset= 86400 actions= restart/5000/restart/5000/restart/5000 | Out-Null
[Environment]::SetEnvironmentVariable("CXRAGENT_Storage__Root", $DataDir, "Machine")
icacls $DataDir /grant "NT SERVICE\${name}:(OI)(CI)M" | Out-Null
icacls $ConfigDir /grant "NT SERVICE\${name}:(OI)(CI)RX" | Out-Null

if (-not $NoStart) { Start-Service -Name $name; Get-Service -Name $name }
Write-Host "Installed CxrPacsAgent in $InstallDir (settings $settings, data $DataDir)."
