# Installs a prebuilt atlas-doctor release on Windows: downloads the zip for this
# machine, verifies its SHA-256, puts atlas-doctor.exe in the install directory and
# adds that directory to the user's PATH. Published with each release as
# atlas-doctor-installer.ps1:
#
#   powershell -ExecutionPolicy Bypass -c "irm https://github.com/atlas-doctor/atlas-doctor/releases/latest/download/atlas-doctor-installer.ps1 | iex"
#
# Variables: ATLAS_DOCTOR_INSTALL_DIR (default %LOCALAPPDATA%\Programs\atlas-doctor\bin),
# ATLAS_DOCTOR_VERSION (default: this release), ATLAS_DOCTOR_DOWNLOAD_URL (a directory
# holding the release's archives, instead of the GitHub release).
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# scripts/release pins this to the release's version in the published copy.
$DefaultVersion = 'latest'
# The same repository as Cargo.toml's [package] repository.
$Repository = 'https://github.com/atlas-doctor/atlas-doctor'
$Bin = 'atlas-doctor'

function Fail([string]$Message) {
    Write-Error "atlas-doctor-installer: error: $Message"
    exit 1
}

$InstallDir = if ($env:ATLAS_DOCTOR_INSTALL_DIR) { $env:ATLAS_DOCTOR_INSTALL_DIR } else { Join-Path $env:LOCALAPPDATA 'Programs\atlas-doctor\bin' }
$Version = if ($env:ATLAS_DOCTOR_VERSION) { $env:ATLAS_DOCTOR_VERSION.TrimStart('v') } else { $DefaultVersion }

$Arch = [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture
switch ($Arch) {
    'X64' { $Target = 'x86_64-pc-windows-msvc' }
    default { Fail "no prebuilt binary for $Arch Windows; install from source: cargo install --locked --git $Repository atlas-doctor" }
}
$Archive = "$Bin-$Target.zip"

$From = if ($env:ATLAS_DOCTOR_DOWNLOAD_URL) { $env:ATLAS_DOCTOR_DOWNLOAD_URL.TrimEnd('/') }
        elseif ($Version -eq 'latest') { "$Repository/releases/latest/download" }
        else { "$Repository/releases/download/v$Version" }

$Tmp = Join-Path ([System.IO.Path]::GetTempPath()) ("atlas-doctor-" + [System.Guid]::NewGuid())
New-Item -ItemType Directory -Path $Tmp | Out-Null
try {
    Write-Host "atlas-doctor-installer: downloading $From/$Archive"
    [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12
    Invoke-WebRequest -UseBasicParsing -Uri "$From/$Archive" -OutFile (Join-Path $Tmp $Archive)
    Invoke-WebRequest -UseBasicParsing -Uri "$From/$Archive.sha256" -OutFile (Join-Path $Tmp "$Archive.sha256")

    $Expected = ((Get-Content (Join-Path $Tmp "$Archive.sha256") -Raw).Trim() -split '\s+')[0].ToLowerInvariant()
    $Actual = (Get-FileHash -Algorithm SHA256 (Join-Path $Tmp $Archive)).Hash.ToLowerInvariant()
    if ($Expected -ne $Actual) { Fail "checksum mismatch for $Archive (expected $Expected, got $Actual): not installing" }

    Expand-Archive -Path (Join-Path $Tmp $Archive) -DestinationPath $Tmp -Force
    $Exe = Join-Path $Tmp "$Bin-$Target\$Bin.exe"
    if (-not (Test-Path $Exe)) { Fail "$Archive holds no $Bin-$Target\$Bin.exe" }

    New-Item -ItemType Directory -Force -Path $InstallDir | Out-Null
    Copy-Item -Force $Exe (Join-Path $InstallDir "$Bin.exe")
    # PowerShell completion next to the binary; load it from $PROFILE:
    #   . "$InstallDir\_atlas-doctor.ps1"
    Copy-Item -Force (Join-Path $Tmp "$Bin-$Target\completions\_$Bin.ps1") (Join-Path $InstallDir "_$Bin.ps1")

    $UserPath = [Environment]::GetEnvironmentVariable('Path', 'User')
    if (-not ($UserPath -and (($UserPath -split ';') -contains $InstallDir))) {
        $NewPath = if ($UserPath) { "$UserPath;$InstallDir" } else { $InstallDir }
        [Environment]::SetEnvironmentVariable('Path', $NewPath, 'User')
        Write-Host "atlas-doctor-installer: added $InstallDir to your user PATH (open a new terminal)"
    }
    $Installed = & (Join-Path $InstallDir "$Bin.exe") --version
    Write-Host "atlas-doctor-installer: installed $Installed to $InstallDir"
}
finally {
    Remove-Item -Recurse -Force $Tmp -ErrorAction SilentlyContinue
}
