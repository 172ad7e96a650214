// SPDX-License-Identifier: Apache-2.0
// tests/unit/status_cache_test.cpp — when the S6Client's StatusCache keeps a
// service's status and when it drops it: only for a watched service, only
// a read begun after the last event, never past its age.
#include "s6/status_cache.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace warden::host {
namespace {

constexpr int64_t kCacheSecond = 1'000'000'000;

ServiceStatus cached_up(int64_t pid) {
    ServiceStatus s;
    s.exists = s.supervised = s.up = s.want_up = s.normally_up = true;
    s.pid = pid;
    return s;
}

// A read as S6Client::observe makes it: a ticket, then the store.
bool cache_read(StatusCache &cache, const char *service, int64_t pid, int64_t now = 0) {
    StatusCache::Ticket ticket;
    if (cache.find(service, now, ticket)) return false;
    cache.store(service, ticket, cached_up(pid), now);
    return true;
}

std::optional<ServiceStatus> kept_in(StatusCache &cache, const char *service, int64_t now = 0) {
    StatusCache::Ticket ticket;
    return cache.find(service, now, ticket);
}

TEST(StatusCache, keeps_nothing_of_a_service_that_is_not_watched) {
    StatusCache cache;
    EXPECT_TRUE(cache_read(cache, "exec-a", 42));
    EXPECT_FALSE(kept_in(cache, "exec-a"));
    EXPECT_EQ(cache.kept_count(), 0u);
}

TEST(StatusCache, keeps_a_watched_service_until_an_event_for_it) {
    StatusCache cache;
    cache.watched("exec-a");
    cache.watched("exec-b");
    ASSERT_TRUE(cache_read(cache, "exec-a", 42));
    ASSERT_TRUE(cache_read(cache, "exec-b", 43));
    ASSERT_TRUE(kept_in(cache, "exec-a"));
    EXPECT_EQ(kept_in(cache, "exec-a")->pid, 42);
    cache.changed("exec-a");
    EXPECT_FALSE(kept_in(cache, "exec-a"));
    EXPECT_EQ(kept_in(cache, "exec-b")->pid, 43) << "another service's event drops only its own";
    ASSERT_TRUE(cache_read(cache, "exec-a", 44));
    EXPECT_EQ(kept_in(cache, "exec-a")->pid, 44);
}

TEST(StatusCache, does_not_keep_a_read_begun_before_an_event) {
    StatusCache cache;
    cache.watched("exec-a");
    StatusCache::Ticket ticket;
    ASSERT_FALSE(cache.find("exec-a", 0, ticket));
    cache.changed("exec-a");  // s6 changed the files while they were read
    cache.store("exec-a", ticket, cached_up(42), 0);
    EXPECT_FALSE(kept_in(cache, "exec-a"));
}

TEST(StatusCache, does_not_keep_a_read_begun_before_the_watch) {
    StatusCache cache;
    StatusCache::Ticket ticket;
    ASSERT_FALSE(cache.find("exec-a", 0, ticket));
    cache.watched("exec-a");  // what changed before the watch was not seen
    cache.store("exec-a", ticket, cached_up(42), 0);
    EXPECT_FALSE(kept_in(cache, "exec-a"));
    // Nor one begun while an earlier watch of the same name stood.
    cache.unwatched("exec-a");
    cache.watched("exec-a");
    ASSERT_FALSE(cache.find("exec-a", 0, ticket));
    cache.unwatched("exec-a");
    cache.watched("exec-a");
    cache.store("exec-a", ticket, cached_up(42), 0);
    EXPECT_FALSE(kept_in(cache, "exec-a"));
}

TEST(StatusCache, drops_everything_on_an_overflow_and_when_the_watch_goes) {
    StatusCache cache;
    for (const char *service : {"exec-a", "exec-b"}) {
        cache.watched(service);
        ASSERT_TRUE(cache_read(cache, service, 42));
    }
    EXPECT_EQ(cache.kept_count(), 2u);
    cache.changed_all();
    EXPECT_EQ(cache.kept_count(), 0u);
    EXPECT_EQ(cache.watched_count(), 2u);
    ASSERT_TRUE(cache_read(cache, "exec-a", 42));
    cache.unwatched("exec-a");
    EXPECT_FALSE(kept_in(cache, "exec-a"));
    EXPECT_TRUE(cache_read(cache, "exec-a", 42));
    EXPECT_FALSE(kept_in(cache, "exec-a")) << "no longer watched: nothing kept";
    ASSERT_TRUE(cache_read(cache, "exec-b", 42));
    cache.unwatched_all();
    EXPECT_FALSE(kept_in(cache, "exec-b"));
    EXPECT_EQ(cache.watched_count(), 0u);
}

TEST(StatusCache, reads_again_what_is_older_than_its_age) {
    StatusCache cache(std::chrono::seconds(30));
    cache.watched("exec-a");
    ASSERT_TRUE(cache_read(cache, "exec-a", 42, 100 * kCacheSecond));
    EXPECT_TRUE(kept_in(cache, "exec-a", 129 * kCacheSecond));
    EXPECT_FALSE(kept_in(cache, "exec-a", 130 * kCacheSecond));
    EXPECT_TRUE(cache_read(cache, "exec-a", 43, 130 * kCacheSecond));
    EXPECT_EQ(kept_in(cache, "exec-a", 131 * kCacheSecond)->pid, 43);
}

TEST(StatusCache, default_age_is_a_minute) {
    EXPECT_EQ(StatusCache::kDefaultMaxAge, std::chrono::seconds(60));
}

}  // namespace
}  // namespace warden::host
