// Private to the library: the flag the destination guard reads.
#pragma once

namespace conncheck::internal {
void mark_in_sandbox();
}
