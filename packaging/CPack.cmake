# SPDX-License-Identifier: Apache-2.0
# Packages, built with `cpack -G DEB` from a build tree (configure with
# -DCMAKE_INSTALL_PREFIX=/usr for packages to install under /usr):
#   warden          the host and the plugins it ships (install component "host")
#   warden-sdk-dev  the plugin SDK: headers, CMake package, pkg-config file and
#                   the sample (install component "sdk"), architecture-independent
# RPM packages of the same components come from `cpack -G RPM` where rpmbuild
# is installed.

set(CPACK_PACKAGE_NAME warden)
set(CPACK_PACKAGE_VENDOR "Warden")
set(CPACK_PACKAGE_CONTACT "Warden maintainers <maintainers@warden.invalid>")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_COMPONENTS_ALL host sdk)
set(CPACK_STRIP_FILES ON)

set(CPACK_COMPONENT_HOST_DESCRIPTION
  "Warden host: keeps services in the state its config asks for, through s6, with worker types from plugins")
set(CPACK_COMPONENT_SDK_DESCRIPTION
  "Warden plugin SDK: the C ABI header (ABI ${WARDEN_ABI_VERSION}), the header-only C++ wrapper, worker kit and fake host, a CMake package, a pkg-config file and the exec sample")

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_HOST_PACKAGE_NAME warden)
set(CPACK_DEBIAN_HOST_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_HOST_PACKAGE_SHLIBDEPS ON)
# Programs the host runs rather than links: shlibdeps cannot see them. The
# graphql plugin's topic browser runs on Debian's nodejs (18 in Debian 12).
set(CPACK_DEBIAN_HOST_PACKAGE_DEPENDS "s6 (>= 2.11), execline (>= 2.9), nodejs (>= 18)")
set(CPACK_DEBIAN_SDK_PACKAGE_NAME warden-sdk-dev)
set(CPACK_DEBIAN_SDK_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_SDK_PACKAGE_ARCHITECTURE all)
# The worker kit's headers include nlohmann/json, and the CMake package finds
# it; building the samples and their tests needs the rest.
set(CPACK_DEBIAN_SDK_PACKAGE_DEPENDS "nlohmann-json3-dev (>= 3.10)")
set(CPACK_DEBIAN_SDK_PACKAGE_SUGGESTS "cmake (>= 3.25), g++, libgtest-dev, pkg-config")

set(CPACK_RPM_COMPONENT_INSTALL ON)
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_HOST_PACKAGE_NAME warden)
set(CPACK_RPM_HOST_PACKAGE_REQUIRES "s6 >= 2.11, execline >= 2.9, nodejs >= 18")
set(CPACK_RPM_SDK_PACKAGE_NAME warden-sdk-devel)
set(CPACK_RPM_SDK_PACKAGE_ARCHITECTURE noarch)
set(CPACK_RPM_SDK_PACKAGE_REQUIRES "json-devel >= 3.10")
set(CPACK_RPM_PACKAGE_LICENSE "Proprietary")

include(CPack)
